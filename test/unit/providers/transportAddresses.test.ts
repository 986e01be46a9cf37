import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { adapterFor, adapterTypes, chatText, startAnswer } from '../../support/streamedAnswer.ts';
import { createOpenAiProvider } from '../../../src-main/providers/openaiProvider.ts';
import { OllamaApi } from '../../../src-main/providers/ollamaApi.ts';

// Base addresses as users write them, met through the adapters over their transport
// (providerFetch) and over the one they had before (`fetch: globalThis.fetch`): the request
// goes to the same path with the same query and Host, or fails the same way.

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Seen {
  method: string;
  path: string;
  host: string;
  authorization: string | undefined;
}

/** A server on every loopback address (IPv4 and IPv6) that answers any chat, in the format of the adapter that asks. */
async function recordingServer(): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    req.resume();
    seen.push({ method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '', authorization: req.headers.authorization });
    const type = req.url?.includes('/api/') ? 'ollama' : req.url?.includes('/messages') ? 'anthropic' : 'openai';
    startAnswer(type, res, 'hel')('lo');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

async function bothWays(baseUrl: string, seen: Seen[]) {
  const result = [];
  for (const fetch of [undefined, globalThis.fetch]) {
    seen.length = 0;
    const outcome = await chatText(createOpenAiProvider({ id: 'p', baseUrl, apiKey: 'sk-test', ...(fetch ? { fetch } : {}) }));
    result.push({ outcome, seen: [...seen] });
  }
  return { now: result[0]!, before: result[1]! };
}

describe('base addresses', () => {
  const cases: { name: string; base: (port: number) => string; path: string; host: (port: number) => string }[] = [
    { name: 'a path prefix and a query (Azure-style api-version)', base: (port) => `http://127.0.0.1:${port}/openai/deployments/d1?api-version=2024-06-01`, path: '/openai/deployments/d1/chat/completions?api-version=2024-06-01', host: (port) => `127.0.0.1:${port}` },
    { name: 'IPv6 loopback', base: (port) => `http://[::1]:${port}/v1`, path: '/v1/chat/completions', host: (port) => `[::1]:${port}` },
    { name: 'localhost', base: (port) => `http://localhost:${port}/v1`, path: '/v1/chat/completions', host: (port) => `localhost:${port}` },
    { name: 'a trailing slash', base: (port) => `http://127.0.0.1:${port}/v1/`, path: '/v1/chat/completions', host: (port) => `127.0.0.1:${port}` },
    { name: 'a path in other scripts', base: (port) => `http://127.0.0.1:${port}/модели/ünï/v1`, path: '/%D0%BC%D0%BE%D0%B4%D0%B5%D0%BB%D0%B8/%C3%BCn%C3%AF/v1/chat/completions', host: (port) => `127.0.0.1:${port}` },
  ];
  for (const { name, base, path, host } of cases) {
    it(`${name}: the same request as fetch sent, answered`, async () => {
      const { port, seen } = await recordingServer();
      const { now, before } = await bothWays(base(port), seen);
      expect(now.outcome).toEqual({ text: 'hello' });
      expect(now.seen).toEqual([{ method: 'POST', path, host: host(port), authorization: 'Bearer sk-test' }]);
      expect(now).toEqual(before);
    });
  }

  for (const type of adapterTypes) {
    it(`${type}: a path prefix is kept as fetch kept it`, async () => {
      const { port, seen } = await recordingServer();
      const outcomes = [];
      for (const fetch of [undefined, globalThis.fetch]) {
        seen.length = 0;
        outcomes.push({ outcome: await chatText(adapterFor(type, `http://127.0.0.1:${port}/gateway/${type}`, fetch)), paths: seen.map((request) => request.path) });
      }
      expect(outcomes[0]!.outcome).toEqual({ text: 'hello' });
      expect(outcomes[0]!.paths[0]).toMatch(new RegExp(`^/gateway/${type}/`));
      expect(outcomes[0]).toEqual(outcomes[1]);
    });
  }

  for (const type of adapterTypes) {
    it(`${type}: an address with a user name and password is refused as fetch refused it, and nothing is sent`, async () => {
      // The settings refuse such an address (providerConfigSchema); an adapter made with one anyway
      // must not quietly drop the credentials and send the prompt on without them.
      const { port, seen } = await recordingServer();
      const outcomes = [];
      for (const fetch of [undefined, globalThis.fetch]) outcomes.push(await chatText(adapterFor(type, `http://user:secret-pass@127.0.0.1:${port}`, fetch)));
      expect(seen).toEqual([]);
      expect(outcomes[0]).toMatchObject({ text: '', kind: expect.any(String) });
      expect(outcomes[0]).toEqual(outcomes[1]);
      expect(outcomes[0]?.message).not.toContain('secret-pass');
    });
  }
});

describe('a server at a *.localhost name', () => {
  it("ollama's own requests (the version, the list, a pull) reach this machine's server too", async () => {
    const { port, seen } = await recordingServer();
    const name = `sc-ollama-${process.pid}.localhost`;
    // The recording server answers every path with a chat; what matters is that the request arrived, by that name.
    await new OllamaApi(`http://${name}:${port}`).version(AbortSignal.timeout(5_000)).catch(() => undefined);
    expect(seen.map((request) => `${request.path} ${request.host}`)).toEqual([`/api/version ${name}:${port}`]);
  });

  // The privacy mode counts `*.localhost` as this machine (isLoopbackUrl), so every adapter must
  // connect to it at loopback itself: fetch asked the system resolver, which asks a DNS server
  // (here it answers "not found"; a search domain or a DNS server elsewhere could name another machine).
  for (const type of adapterTypes) {
    it(`${type}: the request reaches this machine's server, with the name as its Host`, async () => {
      const { port, seen } = await recordingServer();
      const name = `sc-model-${process.pid}-${type}.localhost`;
      const outcome = await chatText(adapterFor(type, `http://${name}:${port}`));
      expect(outcome).toEqual({ text: 'hello' });
      expect(seen.map((request) => request.host)).toContain(`${name}:${port}`);
    });
  }
});
