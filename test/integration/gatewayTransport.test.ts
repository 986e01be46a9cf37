// Model calls through the whole gateway (createCore: providers as stored, the router, attempts
// recorded) over the adapters' transport (providerFetch): a server whose certificate is not
// trusted is said as such in the stored attempt, a call cancelled in the middle of its answer
// closes its connection and the next call is answered, and many calls at once all complete.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { hasOpenssl, selfSignedCertificate } from '../support/selfSignedCertificate.ts';
import { adapterTypes, startAnswer, type AdapterType } from '../support/streamedAnswer.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const cores: Core[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
  for (const close of closers.splice(0)) await close();
});

async function listen(server: Server): Promise<{ port: number }> {
  const live = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    live.add(socket);
    socket.on('close', () => live.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of live) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port };
}

async function coreWith(type: AdapterType, baseUrl: string): Promise<Core> {
  const core = createCore({ dataDir: createTempDir('sc-int-gateway-transport-'), host: 'cli', secrets: noSecrets, env: { GATEWAY_KEY: 'sk-gateway-transport-test-0000' } });
  cores.push(core);
  const config: ProviderConfig = { id: 'srv', type, label: 'srv', location: 'local', models: ['m'], limits: {}, enabled: true, baseUrl, ...(type === 'ollama' ? {} : { apiKeyEnv: 'GATEWAY_KEY' }) };
  await coreCaller(core)('providers.add', { config });
  // Anthropic's type is a cloud API wherever it points: allowed, as a user allows it.
  if (type === 'anthropic') await coreCaller(core)('settings.set', { privacyMode: 'cloud-allowed' });
  return core;
}

/** A chat request (not a model list or a health probe). */
const isChat = (req: IncomingMessage): boolean => /chat\/completions|\/messages|\/api\/chat/.test(req.url ?? '');
const baseFor = (type: AdapterType, root: string): string => (type === 'openai' ? `${root}/v1` : root);
const ask = (core: Core, signal?: AbortSignal) => core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }], ...(signal ? { signal } : {}) });

describe.skipIf(!hasOpenssl())('a provider whose certificate is not trusted', () => {
  it('the call fails, and the stored attempt says the certificate is self-signed (not that the server cannot be reached)', async () => {
    const { key, cert } = selfSignedCertificate(createTempDir('sc-tls-'));
    const { port } = await listen(createHttpsServer({ key, cert }, (req: IncomingMessage, res: ServerResponse) => startAnswer('openai', res, 'a')('b')) as unknown as Server);
    const core = await coreWith('openai', `https://127.0.0.1:${port}/v1`);
    await expect(ask(core)).rejects.toMatchObject({ code: 'NO_ROUTE', message: expect.stringContaining('its certificate is self-signed, and this computer does not trust it') });
    const attempt = core.gateway.attempts.recent(10, 'calls')[0];
    expect(attempt?.message).toMatch(/cannot connect securely to the server: its certificate is self-signed/);
    expect(attempt?.message).not.toMatch(/cannot reach|DEPTH_ZERO|--use-system-ca/);
  });
});

describe('calls through the gateway', () => {
  for (const type of adapterTypes) {
    it(`${type}: a call cancelled in the middle of its answer is cancelled, its connection closed, and the next call answered`, async () => {
      let stall = true;
      const chatSockets: Socket[] = [];
      const server = createServer((req, res) => {
        req.resume();
        if (!isChat(req)) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not here"}');
        chatSockets.push(req.socket);
        // Longer than a key: the gateway holds back an answer's last characters until it knows they do not echo one (keysOutOfAnswer).
        const end = startAnswer(type, res, 'Here is the first part of the answer. ');
        if (!stall) end('b');
      });
      const { port } = await listen(server);
      const core = await coreWith(type, baseFor(type, `http://127.0.0.1:${port}`));
      const controller = new AbortController();
      const cancelled = core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }], signal: controller.signal, onEvent: (event) => event.type === 'text' && controller.abort() });
      await expect(cancelled).rejects.toMatchObject({ code: 'CANCELLED' });
      // The stalled answer's connection is closed (the others, idle, may be kept for the next call).
      const end = Date.now() + 2_000;
      while (!chatSockets[0]?.destroyed && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(chatSockets).toHaveLength(1);
      expect(chatSockets[0]?.destroyed).toBe(true);
      stall = false;
      expect((await ask(core)).text).toBe('Here is the first part of the answer. b');
    });

    it(`${type}: 30 calls at once all complete`, async () => {
      const server = createServer((req, res) => {
        req.resume();
        const end = startAnswer(type, res, 'a');
        setTimeout(() => end('b'), 20);
      });
      const { port } = await listen(server);
      const core = await coreWith(type, baseFor(type, `http://127.0.0.1:${port}`));
      const answers = await Promise.all(Array.from({ length: 30 }, () => ask(core)));
      expect(answers.map((answer) => answer.text)).toEqual(Array.from({ length: 30 }, () => 'ab'));
    });
  }
});
