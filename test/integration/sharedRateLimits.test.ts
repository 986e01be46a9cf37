// A provider's rate limit holds across processes: two cores on one data folder (two SQLite
// connections, as the app and a CLI command would be) share its window, so the second call waits
// for the next second (the burst is counted per second).
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { runBin } from '../support/cliProcess.ts';
import { startCallingProcess, type CallingProcess } from '../support/startCallingProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };

describe('rate limits shared across processes', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  const children: CallingProcess[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.child.kill('SIGKILL');
      await child.exited;
    }
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
    // The shared window's seconds (when each slot was taken, whatever the server's clock saw): a
    // burst of 1 is one request a second across both processes, so the second took a later one.
    const db = openDatabase(join(dataDir, 'service-creator.db'));
    const seconds = () => db.prepare("SELECT second, requests FROM rate_usage WHERE provider_id = 'lan' ORDER BY second").all() as { second: number; requests: number }[];
    const limited = seconds();
    expect(limited.map((row) => row.requests)).toEqual([1, 1]);
    expect((limited[1]?.second ?? 0) > (limited[0]?.second ?? 0)).toBe(true);
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(2);

    // Without the limit no slot is taken (nothing waits): the window is left as it was.
    await coreCaller(app)('providers.update', { config: { id: 'lan', type: 'openai', label: 'lan', location: 'local', baseUrl: server.url, models: ['m'], limits: {}, enabled: true } });
    await ask(app);
    await ask(cli);
    expect(seconds()).toEqual(limited);
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(4);
    db.close();
  });

  for (const [change, args] of [
    ['removed', ['--clear-limits']],
    ['raised', ['--rpm', '600']],
  ] as const) {
    it(`a call waiting for a slot under 1 a minute goes at once when the CLI has ${change} the limit, not a minute later`, async () => {
      const server = await startFakeOpenAiServer({ defaultStep: { reply: 'ok' } });
      servers.push(server);
      const dataDir = createTempDir('sc-int-rate-change-');
      const setup = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {} });
      await coreCaller(setup)('providers.add', { config: { id: 'lan', type: 'openai', label: 'lan', location: 'local', baseUrl: server.url, models: ['m'], limits: { requestsPerMinute: 1 }, enabled: true } });
      await setup.dispose();

      // A running core (serve, the app): its second call waits for the next minute's slot.
      const app = startCallingProcess(dataDir, {});
      children.push(app);
      await app.waitFor('ready');
      app.send({ op: 'chat', id: 1, prompt: 'first' });
      app.send({ op: 'chat', id: 2, prompt: 'second' });
      await app.waitFor('answered:1');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(server.count('/v1/chat/completions')).toBe(1);

      const edited = await runBin(['providers', 'edit', 'lan', ...args], { SERVICE_CREATOR_HOME: dataDir });
      expect(edited.code, edited.stderr).toBe(0);
      const changedAt = Date.now();
      expect(await app.waitFor('answered:2', 30_000)).toMatchObject({ text: 'ok' });
      expect(Date.now() - changedAt).toBeLessThan(5_000);
    }, 60_000);
  }
});
