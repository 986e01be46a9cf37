// A provider's rate limit holds across processes: two cores on one data folder (two SQLite
// connections, as the app and a CLI command would be) share its window, so the second call waits
// for the next second (the burst is counted per second).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };

describe('rate limits shared across processes', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  it('a burst of 1 a second: the other process waits for its turn; without the limit it does not', async () => {
    const server = await startFakeOpenAiServer({ defaultStep: { reply: 'ok' } });
    servers.push(server);
    const dataDir = createTempDir('sc-int-rate-');
    const app = createCore({ dataDir, host: 'bridge', secrets: noSecrets, env: {} });
    const cli = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {} });
    cores.push(app, cli);
    await coreCaller(app)('providers.add', { config: { id: 'lan', type: 'openai', label: 'lan', location: 'local', baseUrl: server.url, models: ['m'], limits: { burst: 1 }, enabled: true } });
    const ask = (core: Core) => core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }] });

    await ask(app);
    await ask(cli);
    // The second process waited for the next second: a burst of 1 allows one request per second.
    const [first, second] = server.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => Math.floor(request.receivedAt / 1000));
    expect(second).toBe((first ?? Number.NaN) + 1);

    await coreCaller(app)('providers.update', { config: { id: 'lan', type: 'openai', label: 'lan', location: 'local', baseUrl: server.url, models: ['m'], limits: {}, enabled: true } });
    const unlimited = performance.now();
    await ask(app);
    await ask(cli);
    expect(performance.now() - unlimited).toBeLessThan(700);
  });
});
