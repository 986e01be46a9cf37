import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { providerFetch } from '../../../src-main/providers/providerFetch.ts';
import { singleTargetRouter } from '../../support/singleTargetRouter.ts';
import { adapterFor, adapterTypes, startAnswer } from '../../support/streamedAnswer.ts';

// A user may give a slow local model up to hours for its first token (a provider's first-token
// and total timeouts). The adapters' transport must not cut such a call on its own: undici's idle
// limits (300 s for the headers, 300 s between body chunks) ended every call whose first token
// took longer than five minutes, whatever the user had set. What undici is asked to enforce is
// read where undici creates each request (its `undici:request:create` channel): waiting five
// minutes in a test is not an option.

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function answeringServer(type: (typeof adapterTypes)[number]): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    startAnswer(type, res, 'hel')('lo');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

type Created = { origin?: string; path: string; headersTimeout?: number | null; bodyTimeout?: number | null };

/** The requests undici creates while `run` runs: where to, and the limits each is given. */
async function requestsMadeBy(run: () => Promise<unknown>): Promise<Created[]> {
  const created: Created[] = [];
  const onCreate = (message: unknown) => {
    const { request } = message as { request: Created };
    created.push({ origin: String(request.origin), path: request.path, headersTimeout: request.headersTimeout, bodyTimeout: request.bodyTimeout });
  };
  subscribe('undici:request:create', onCreate);
  try {
    await run();
  } finally {
    unsubscribe('undici:request:create', onCreate);
  }
  return created;
}

describe("the adapters' transport leaves time limits to the caller", () => {
  for (const type of adapterTypes) {
    it(`${type}: a routed call whose provider allows 20 minutes for the first token is not cut at 5 by the transport`, async () => {
      const url = await answeringServer(type);
      const { router } = singleTargetRouter(adapterFor(type, url), {}, { type, firstTokenTimeoutMs: 20 * 60_000, totalTimeoutMs: 60 * 60_000 });
      let text = '';
      const created = await requestsMadeBy(async () => {
        text = (await router.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }] })).text;
      });
      expect(text).toBe('hello');
      const chats = created.filter((request) => request.origin === url && /chat|messages/.test(request.path));
      expect(chats).toHaveLength(1);
      // 0: no idle limit of undici's own (the router's watchdog, armed with the provider's limits, ends the call).
      expect(chats[0]).toMatchObject({ headersTimeout: 0, bodyTimeout: 0 });
    });
  }

  it('a request without a signal keeps undici’s limits as a last resort against a connection that never ends', async () => {
    const url = await answeringServer('ollama');
    const created = await requestsMadeBy(async () => {
      const response = await providerFetch(`${url}/api/chat`, { method: 'POST', body: '{}' });
      await response.text();
    });
    expect(created).toHaveLength(1);
    expect(created[0]?.headersTimeout ?? undefined).toBeUndefined();
    expect(created[0]?.bodyTimeout ?? undefined).toBeUndefined();
  });
});
