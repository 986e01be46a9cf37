// The response cache through the real core, SDK adapters and SQLite: a hit answers with the same
// text, sends 0 requests to the server and is recorded as a call that cost 0; an error, a refusal
// and a cut-off answer are never kept; a changed template text, model or parameter misses; a
// bypass ("regenerate") asks again; size cap and expiry evict; other processes share it.
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chatStructured } from '../../src-main/gateway/chatStructured.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { ResponseCacheRepository } from '../../src-main/store/ResponseCacheRepository.ts';
import { createCore, databaseFileName, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { RouteRequest } from '../../src-main/modelCall/modelCallTypes.ts';
import { runBin } from '../support/cliProcess.ts';
import { startFakeAnthropicServer } from '../support/fakes/fakeAnthropicServer.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer, FakeStep } from '../support/fakes/fakeServerBase.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const env = { CLOUD_KEY: 'sk-test-cache-0000' };

describe('the response cache', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  async function setUp(kind: 'openai' | 'anthropic' = 'openai', script: FakeStep[] = []) {
    const server = kind === 'openai' ? await startFakeOpenAiServer({ script, defaultStep: { reply: 'the answer', usage: { inputTokens: 12, outputTokens: 3 } } }) : await startFakeAnthropicServer({ script, defaultStep: { reply: 'the answer', usage: { inputTokens: 12, outputTokens: 3 } } });
    servers.push(server);
    const dataDir = createTempDir('sc-int-cache-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed', responseCache: { enabled: true, ttlHours: 24, maxMegabytes: 16 } });
    const config: ProviderConfig = { id: 'cloud', type: kind, label: 'cloud', location: 'cloud', baseUrl: server.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'CLOUD_KEY' };
    await call('providers.add', { config });
    await call('pricing.set', { model: 'gpt-fake', inputPerMillion: 1000, outputPerMillion: 1000 });
    const chats = () => server.requests.filter((request) => request.method === 'POST').length;
    return { server, dataDir, core, call, chats };
  }

  const request = (extra: Partial<RouteRequest> = {}): RouteRequest => ({ task: 'code', maxTokens: 50, temperature: 0.2, promptVersion: 'generate-file@1#aaaaaaaaaaaa', messages: [{ role: 'user', content: 'write main.py' }], ...extra });

  it('a hit returns the identical answer with 0 requests sent, recorded as a cache hit that cost 0', async () => {
    const { core, call, chats } = await setUp();
    const first = await core.gateway.chat(request());
    expect(first.text).toBe('the answer');
    expect(chats()).toBe(1);
    const streamed: string[] = [];
    const second = await core.gateway.chat(request({ onEvent: (event) => event.type === 'text' && streamed.push(event.text) }));
    expect(second).toMatchObject({ text: first.text, finishReason: 'stop', target: first.target, inputTokens: 12, outputTokens: 3 });
    expect(streamed.join('')).toBe('the answer');
    expect(chats()).toBe(1);
    const [hit, miss] = core.gateway.attempts.recent(10, 'calls');
    expect(hit).toMatchObject({ outcome: 'ok', cacheHit: true, costUsd: 0, reason: expect.stringContaining('answered from the response cache') });
    expect(miss).toMatchObject({ outcome: 'ok', costUsd: 0.015 });
    expect(miss?.cacheHit).toBeUndefined();
    // Nothing left the machine for the hit: one audit row, for the first call only.
    expect(core.gateway.audit.list()).toHaveLength(1);
    expect(await call('cache.stats')).toMatchObject({ entries: 1, hits: 1, misses: 1, stores: 1, hitRate: 0.5 });
  });

  it('a provider pointed at another server misses: the answer the old server gave is not passed off as the new one\'s', async () => {
    const { core, call, chats } = await setUp();
    expect((await core.gateway.chat(request())).text).toBe('the answer');
    const other = await startFakeOpenAiServer({ defaultStep: { reply: 'the other server', usage: { inputTokens: 12, outputTokens: 3 } } });
    servers.push(other);
    await call('providers.update', { config: { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: other.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'CLOUD_KEY' } });
    expect((await core.gateway.chat(request())).text).toBe('the other server');
    expect(other.requests.filter((each) => each.method === 'POST')).toHaveLength(1);
    expect(chats()).toBe(1);
    // Its own answer is kept under its address: asked again, a hit.
    expect((await core.gateway.chat(request())).attempts.at(-1)?.cacheHit).toBe(true);
  });

  it('a bypass (regenerate) asks again and keeps the new answer; the cache off asks every time', async () => {
    const { core, call, chats, server } = await setUp();
    await core.gateway.chat(request());
    server.enqueue({ reply: 'a new answer' });
    expect((await core.gateway.chat(request({ cache: 'bypass' }))).text).toBe('a new answer');
    expect(chats()).toBe(2);
    expect((await core.gateway.chat(request())).text).toBe('a new answer');
    expect(chats()).toBe(2);
    await call('settings.set', { responseCache: { enabled: false, ttlHours: 24, maxMegabytes: 16 } });
    await core.gateway.chat(request());
    expect(chats()).toBe(3);
  });

  it('`chat --fresh` asks the model again and keeps its answer (a regenerate of one request); `chat` alone answers from the cache', async () => {
    const { server, dataDir, chats } = await setUp();
    const chat = (...extra: string[]) => runBin(['chat', '--task', 'code', '--prompt', 'write main.py', ...extra], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect((await chat()).stdout).toContain('the answer');
    expect((await chat()).stdout).toContain('the answer');
    expect(chats()).toBe(1);
    server.enqueue({ reply: 'a new answer' });
    const fresh = await chat('--fresh');
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('a new answer');
    expect(chats()).toBe(2);
    expect((await chat()).stdout).toContain('a new answer');
    expect(chats()).toBe(2);
  }, 60_000);

  it('`cache stats` still answers when its counts were edited past the exact integers (by hand, in the database)', async () => {
    const dataDir = createTempDir('sc-int-cache-');
    const db = openDatabase(join(dataDir, databaseFileName));
    db.prepare("INSERT INTO cache_stats (id, hits, misses, stores, evictions, since) VALUES (1, 9007199254740993, 1, 1, 0, '2026-01-01T00:00:00.000Z')").run();
    db.close();
    const stats = await runBin(['cache', 'stats'], { SERVICE_CREATOR_HOME: dataDir });
    expect(stats.stderr).toBe('');
    expect(stats.code).toBe(0);
    expect(stats.stdout).toContain('since 2026-01-01T00:00:00.000Z');
  });

  it('`cache stats` says what the cache holds in the unit that shows it: an empty cache holds 0 bytes, a small one KiB, never "1 MiB"', async () => {
    const dataDir = createTempDir('sc-int-cache-');
    const empty = await runBin(['cache', 'stats'], { SERVICE_CREATOR_HOME: dataDir });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('0 answers kept (0 bytes of 256 MiB).');
    const db = openDatabase(join(dataDir, databaseFileName));
    db.prepare("INSERT INTO response_cache (key, provider_id, model, prompt_version, answer, input_tokens, output_tokens, bytes, created_at_ms, expires_at_ms, used_at_ms) VALUES ('k', 'p', 'm', NULL, 'x', 1, 1, 3072, 0, 8640000000000000, 0)").run();
    db.close();
    const small = await runBin(['cache', 'stats'], { SERVICE_CREATOR_HOME: dataDir });
    expect(small.stdout).toContain('1 answer kept (3.0 KiB of 256 MiB).');
  });

  it('a changed template text, version, model parameter or schema misses', async () => {
    const { core, chats } = await setUp();
    await core.gateway.chat(request());
    await core.gateway.chat(request({ messages: [{ role: 'user', content: 'write main.py ' }] })); // the template's text changed by one space
    await core.gateway.chat(request({ promptVersion: 'generate-file@1#bbbbbbbbbbbb' }));
    await core.gateway.chat(request({ temperature: 0.3 }));
    await core.gateway.chat(request({ maxTokens: 51 }));
    expect(chats()).toBe(5);
    await core.gateway.chat(request());
    expect(chats()).toBe(5);
  });

  for (const kind of ['openai', 'anthropic'] as const) {
    it(`${kind}: an error, a refusal and a cut-off answer are never kept`, async () => {
      const { core, chats } = await setUp(kind, [
        { status: 400, body: { error: { message: 'bad request', type: 'invalid_request_error' } } },
        { reply: 'I cannot help with that', finish: 'refusal' },
        { reply: 'half an ans', finish: 'length' },
        // Cut off mid stream, on the first try and both retries.
        ...Array.from({ length: 3 }, () => ({ endAfterTokens: 2, reply: 'cut off mid stream' })),
      ]);
      await expect(core.gateway.chat(request())).rejects.toMatchObject({ code: 'NO_ROUTE' });
      expect((await core.gateway.chat(request())).finishReason).toBe('error');
      expect((await core.gateway.chat(request())).finishReason).toBe('length');
      await expect(core.gateway.chat(request())).rejects.toMatchObject({ code: 'NO_ROUTE' });
      expect(chats()).toBeGreaterThanOrEqual(4);
      const before = chats();
      // Nothing was kept: the next identical call reaches the server, and its whole answer is kept.
      expect((await core.gateway.chat(request())).text).toBe('the answer');
      expect(chats()).toBe(before + 1);
      await core.gateway.chat(request());
      expect(chats()).toBe(before + 1);
    });
  }

  it("openai: an answer a server broke off in its own words (OpenRouter's finish \"error\", vLLM's \"abort\") is an error and never kept", async () => {
    const { core, chats } = await setUp('openai', [
      { reply: 'half of it', wireFinish: 'error' },
      { reply: 'half of it', wireFinish: 'abort' },
    ]);
    expect((await core.gateway.chat(request())).finishReason).toBe('error');
    expect((await core.gateway.chat(request())).finishReason).toBe('error');
    expect((await core.gateway.chat(request())).text).toBe('the answer');
    expect(chats()).toBe(3);
    await core.gateway.chat(request());
    expect(chats()).toBe(3);
  });

  it('anthropic: a turn the server paused (stop_reason "pause_turn", to be continued by asking again) is no whole answer and never kept', async () => {
    const { core, chats } = await setUp('anthropic', [{ reply: 'the first half', wireFinish: 'pause_turn' }]);
    expect((await core.gateway.chat(request())).finishReason).toBe('length');
    expect((await core.gateway.chat(request())).text).toBe('the answer');
    expect(chats()).toBe(2);
    await core.gateway.chat(request());
    expect(chats()).toBe(2);
  });

  it("openai: a refusal in the answer's refusal field (structured outputs: finish \"stop\", no content) is a refusal and never kept", async () => {
    const { core, chats } = await setUp('openai', [{ reply: "I'm sorry, I cannot help with that.", refusalField: true }]);
    const refused = await core.gateway.chat(request());
    expect(refused).toMatchObject({ finishReason: 'error', text: '' });
    expect((await core.gateway.chat(request())).text).toBe('the answer');
    expect(chats()).toBe(2);
    await core.gateway.chat(request());
    expect(chats()).toBe(2);
  });

  it('a clear from another process empties what this one kept moments ago and has not written yet: it neither answers nor comes back', async () => {
    const { core, chats, dataDir } = await setUp();
    await core.gateway.chat(request()); // kept, queued to be written
    // Another process clears the cache before this one wrote the answer (a connection of its own).
    const other = openDatabase(join(dataDir, databaseFileName));
    expect(new ResponseCacheRepository(other).clear()).toBe(0);
    await core.gateway.chat(request());
    expect(chats()).toBe(2);
    core.gateway.controls.cache.flush();
    // Only the answer kept after the clear is in the cache.
    expect(new ResponseCacheRepository(other).stats(16 * 1024 * 1024)).toMatchObject({ entries: 1, bytes: 'the answer'.length + 64 });
    other.close();
    await core.gateway.chat(request());
    expect(chats()).toBe(2);
  });

  it('a structured answer that failed its schema (twice, after its repair) is not answered again from the cache: the next call asks the model', async () => {
    const { core, chats } = await setUp('openai', [{ reply: '{"n": "one"}' }, { reply: '{"n": "two"}' }, { reply: '{"n": 3}' }]);
    const ask = () => chatStructured((routed) => core.gateway.chat(routed), { ...request(), schema: z.object({ n: z.number() }), schemaName: 'count' });
    await expect(ask()).rejects.toMatchObject({ code: 'INVALID_OUTPUT' });
    expect(chats()).toBe(2);
    expect((await ask()).value).toEqual({ n: 3 });
    expect(chats()).toBe(3);
    // The usable answer replaced the unusable one: now it answers from the cache.
    expect(await ask()).toMatchObject({ value: { n: 3 }, repaired: false });
    expect(chats()).toBe(3);
  });

  it('a structured answer that fails its schema is never kept: only the repaired one is, and no unusable answer is replayed as a hit', async () => {
    const { core, call, chats } = await setUp('openai', [{ reply: '{"n": "one"}' }, { reply: '{"n": 2}' }, { reply: '{"n": "three"}' }, { reply: '{"n": 4}' }]);
    const ask = () => chatStructured((routed) => core.gateway.chat(routed), { ...request(), schema: z.object({ n: z.number() }), schemaName: 'count' });
    expect(await ask()).toMatchObject({ value: { n: 2 }, repaired: true });
    expect(chats()).toBe(2);
    core.gateway.controls.cache.flush();
    expect(await call('cache.stats')).toMatchObject({ stores: 1, entries: 1 });
    // The first request's unusable answer was not kept: asked again, it misses and the model answers.
    expect(await ask()).toMatchObject({ value: { n: 4 }, repaired: true });
    expect(chats()).toBe(4);
    expect(core.gateway.attempts.recent(10, 'calls').filter((attempt) => attempt.cacheHit === true)).toHaveLength(0);
  });

  it('a shorter time to keep answers holds for those kept before: `cache on --ttl-hours 1` stops a 2-hour-old answer from answering', async () => {
    let now = Date.now(); // the CLI processes below read the real clock: this one starts from it, never from a fixed date
    const server = await startFakeOpenAiServer({ defaultStep: { reply: 'the answer' } });
    servers.push(server);
    const dataDir = createTempDir('sc-int-cache-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env, routerOptions: { now: () => now } });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed', responseCache: { enabled: true, ttlHours: 24, maxMegabytes: 16 } });
    await call('providers.add', { config: { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: server.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'CLOUD_KEY' } });
    const ask = () => core.gateway.chat(request());
    await ask();
    core.gateway.controls.cache.flush();
    now += 2 * 3_600_000;
    await ask(); // kept for 24 hours: a hit
    expect(server.count('/v1/chat/completions')).toBe(1);
    // Another process lowers the time answers are kept to one hour.
    const lowered = await runBin(['cache', 'on', '--ttl-hours', '1'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(lowered.stdout).toContain('answers are kept 1 hours');
    await ask(); // kept 2 hours ago: past the hour
    expect(server.count('/v1/chat/completions')).toBe(2);
    await ask(); // the new answer is kept
    expect(server.count('/v1/chat/completions')).toBe(2);
  }, 60_000);

  it('a smaller size cap holds for what the cache already has: `cache on --max-mb 1` leaves at most 1 MiB, the most recently used kept', async () => {
    let now = Date.now(); // the CLI processes below read the real clock: this one starts from it, never from a fixed date
    const server = await startFakeOpenAiServer({ respond: (body) => ({ reply: 'x'.repeat(400_000) + JSON.stringify((body as { messages: { content: string }[] }).messages[0]?.content) }) });
    servers.push(server);
    const dataDir = createTempDir('sc-int-cache-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env, routerOptions: { now: () => now } });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed', responseCache: { enabled: true, ttlHours: 24, maxMegabytes: 16 } });
    await call('providers.add', { config: { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: server.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'CLOUD_KEY' } });
    const ask = (content: string) => core.gateway.chat({ task: 'code', messages: [{ role: 'user', content }] });
    for (const content of ['a', 'b', 'c', 'd']) {
      await ask(content);
      now += 1000;
    }
    core.gateway.controls.cache.flush();
    const cli = (args: string[]) => runBin(args, { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect((await cli(['cache', 'on', '--max-mb', '1'])).code).toBe(0);
    // This process's next call (a hit: it keeps nothing new) brings the cache within the lowered cap.
    await ask('d');
    core.gateway.controls.cache.flush();
    const other = openDatabase(join(dataDir, databaseFileName));
    expect(other.prepare('SELECT key FROM response_cache').all()).toHaveLength(2);
    other.close();
    const stats = await cli(['cache', 'stats', '--json']);
    const { stats: held } = JSON.parse(stats.stdout.trim().split('\n').at(-1) as string) as { stats: { entries: number; bytes: number; maxBytes: number; evictions: number } };
    expect(held.maxBytes).toBe(1024 * 1024);
    expect(held.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(held.entries).toBe(2);
    expect(held.evictions).toBe(2);
    // The most recently used answers stayed.
    await ask('c');
    expect(server.count('/v1/chat/completions')).toBe(4);
    await ask('a');
    expect(server.count('/v1/chat/completions')).toBe(5);
  }, 60_000);

  it('evicts the least recently used past the size cap; expired answers never answer; the CLI of another process sees and clears it', async () => {
    let now = Date.now(); // the CLI processes below read the real clock: this one starts from it, never from a fixed date
    const server = await startFakeOpenAiServer({ respond: (body) => ({ reply: 'x'.repeat(400_000) + JSON.stringify((body as { messages: unknown[] }).messages.length) }) });
    servers.push(server);
    const dataDir = createTempDir('sc-int-cache-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env, routerOptions: { now: () => now } });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed', responseCache: { enabled: true, ttlHours: 1, maxMegabytes: 1 } });
    await call('providers.add', { config: { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: server.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'CLOUD_KEY' } });
    const ask = (content: string) => core.gateway.chat({ task: 'code', messages: [{ role: 'user', content }] });
    await ask('a');
    now += 1000;
    await ask('b');
    now += 1000;
    await ask('a'); // a hit: "a" is now the most recently used
    now += 1000;
    await ask('c'); // 3 x 400 kB passes 1 MiB: "b", used least recently, goes when the answers are written
    core.gateway.controls.cache.flush();
    expect(server.count('/v1/chat/completions')).toBe(3);
    await ask('a');
    await ask('c');
    expect(server.count('/v1/chat/completions')).toBe(3);
    await ask('b');
    expect(server.count('/v1/chat/completions')).toBe(4);
    now += 2 * 3_600_000; // past the hour every answer is kept for
    await ask('a');
    expect(server.count('/v1/chat/completions')).toBe(5);

    core.gateway.controls.cache.flush();
    const stats = await runBin(['cache', 'stats'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(stats.code).toBe(0);
    expect(stats.stdout).toContain('The response cache is on.');
    expect(stats.stdout).toMatch(/3 hits and 5 misses since .* \(38 % answered from the cache\); [1-9]\d* removed to make room or expired\./);
    const cleared = await runBin(['cache', 'clear'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(cleared.stdout).toMatch(/Removed [1-9] kept answers?\./);
    const off = await runBin(['cache', 'off'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(off.stdout).toContain('The response cache is off');
    expect((await call<{ responseCache: { enabled: boolean } }>('settings.get')).responseCache.enabled).toBe(false);
  }, 60_000);
});
