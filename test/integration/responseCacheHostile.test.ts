// The response cache attacked as a careless caller would: a request object asked again with its
// text changed.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { RouteRequest } from '../../src-main/modelCall/modelCallTypes.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer, FakeStep } from '../support/fakes/fakeServerBase.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };

describe('the response cache, attacked', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  /** A core with the cache on and one local provider (nothing audited, so only the cache writes on a call's path). */
  async function setUp(options: { now?: () => number; maxMegabytes?: number; respond?: (body: unknown) => FakeStep | undefined } = {}) {
    const server = await startFakeOpenAiServer({ ...(options.respond ? { respond: options.respond } : {}), defaultStep: { reply: 'the answer', usage: { inputTokens: 12, outputTokens: 3 } } });
    servers.push(server);
    const dataDir = createTempDir('sc-int-cache-hostile-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {}, ...(options.now ? { routerOptions: { now: options.now } } : {}) });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { responseCache: { enabled: true, ttlHours: 1, maxMegabytes: options.maxMegabytes ?? 16 } });
    await call('providers.add', { config: { id: 'local', type: 'openai', label: 'local', location: 'local', baseUrl: server.url, models: ['gpt-fake'], limits: {}, enabled: true } });
    const chats = () => server.requests.filter((request) => request.method === 'POST').length;
    return { dataDir, core, chats };
  }

  const request = (extra: Partial<RouteRequest> = {}): RouteRequest => ({ task: 'code', maxTokens: 50, messages: [{ role: 'user', content: 'write main.py' }], ...extra });

  it('a request object asked again with its text changed (a template edited in place) misses, and a regenerate of it never files its answer under the old text', async () => {
    const { core, chats } = await setUp({ respond: (body) => ({ reply: `answer to ${JSON.stringify((body as { messages: { content: string }[] }).messages.map((message) => message.content))}` }) });
    const asked = request();
    expect((await core.gateway.chat(asked)).text).toBe('answer to ["write main.py"]');
    const [message] = asked.messages;
    if (message) message.content = 'write test_main.py';
    const changed = await core.gateway.chat(asked);
    expect(changed.text).toBe('answer to ["write test_main.py"]');
    expect(chats()).toBe(2);
    // The same object, its text changed again and regenerated: the new answer is kept under what was asked.
    if (message) message.content = 'write util.py';
    asked.cache = 'bypass';
    expect((await core.gateway.chat(asked)).text).toBe('answer to ["write util.py"]');
    expect((await core.gateway.chat(request())).text).toBe('answer to ["write main.py"]');
    expect((await core.gateway.chat(request({ messages: [{ role: 'user', content: 'write test_main.py' }] }))).text).toBe('answer to ["write test_main.py"]');
    expect(chats()).toBe(3);
  });
});
