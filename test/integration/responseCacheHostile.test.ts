// The response cache attacked as a careless caller and a hostile neighbour would: another process
// holding the database's write lock while a lookup finds an expired answer or a call keeps one too
// large to keep (the call must neither wait on the lock nor fail or be sent again); a request
// object asked again with its text changed; an answer SQLite cannot hold as it is (a lone
// surrogate), which another process would get back changed.
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { createCore, databaseFileName, type Core } from '../../src-main/core/createCore.ts';
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

  /** Another process holds the database's write lock (a long write of its own) until `release`. */
  function lockedBy(dataDir: string) {
    const other = openDatabase(join(dataDir, databaseFileName));
    other.prepare('BEGIN IMMEDIATE').run();
    return () => {
      other.prepare('ROLLBACK').run();
      other.close();
    };
  }

  it('an expired answer found while another process holds the write lock is a miss: the model answers at once, the call neither waits on the lock nor fails', async () => {
    let now = Date.now();
    const { core, dataDir, chats } = await setUp({ now: () => now });
    await core.gateway.chat(request());
    core.gateway.controls.cache.flush();
    now += 2 * 3_600_000; // past the hour answers are kept
    const release = lockedBy(dataDir);
    try {
      const started = performance.now();
      const result = await core.gateway.chat(request());
      expect(result.text).toBe('the answer');
      expect(result.attempts.at(-1)?.cacheHit).toBeUndefined();
      expect(chats()).toBe(2);
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      release();
    }
    // The expired row is removed with the next write, and the new answer kept.
    core.gateway.controls.cache.flush();
    expect((await core.gateway.chat(request())).attempts.at(-1)?.cacheHit).toBe(true);
    expect(chats()).toBe(2);
  }, 30_000);

  it('an answer too large to keep, while another process holds the write lock, is still the answer: sent once, recorded once as ok, the older kept answer gone', async () => {
    let big = false;
    const { core, dataDir, chats } = await setUp({ maxMegabytes: 1, respond: () => ({ reply: big ? 'y'.repeat(1_100_000) : 'small' }) });
    await core.gateway.chat(request());
    core.gateway.controls.cache.flush();
    big = true;
    const release = lockedBy(dataDir);
    try {
      const started = performance.now();
      const result = await core.gateway.chat(request({ cache: 'bypass' }));
      expect(result.text).toHaveLength(1_100_000);
      expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['ok']);
      expect(chats()).toBe(2);
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      release();
    }
    // A regenerate's older answer must not come back: it is removed with the next write.
    core.gateway.controls.cache.flush();
    const other = openDatabase(join(dataDir, databaseFileName));
    expect(other.prepare('SELECT COUNT(*) FROM response_cache').pluck().get()).toBe(0);
    other.close();
    big = false;
    expect((await core.gateway.chat(request())).text).toBe('small');
    expect(chats()).toBe(3);
  }, 60_000);

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

  it('an answer with a lone surrogate is never answered changed: another process sharing the cache gets the same text the model gave', async () => {
    const { core, dataDir } = await setUp({ respond: () => ({ reply: 'half an emoji \ud83d and a NUL \u0000 here' }) });
    const first = await core.gateway.chat(request());
    expect(first.text).toBe('half an emoji \ud83d and a NUL \u0000 here');
    core.gateway.controls.cache.flush();
    const other = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {} });
    cores.push(other);
    expect((await other.gateway.chat(request())).text).toBe(first.text);
  });
});
