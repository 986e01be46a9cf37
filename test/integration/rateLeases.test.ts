// Rate leases through two real cores on one data folder (two processes' connections) and a third
// connection reading the shared window: together they never start more than a provider's limit,
// a burst of 1 is one request a second across both, and the slots a lease did not use leave
// the window once their second is over (written with a batch).
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const chatPath = '/v1/chat/completions';

describe('rate leases across processes', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  const connections: Database[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
    for (const db of connections.splice(0)) db.close();
  });

  async function setUp(limits: ProviderConfig['limits']) {
    const server = await startFakeOpenAiServer({ defaultStep: { reply: 'ok', delayMs: 5 } });
    servers.push(server);
    const dataDir = createTempDir('sc-int-rate-leases-');
    const a = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {} });
    const b = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {} });
    cores.push(a, b);
    await coreCaller(a)('providers.add', { config: { id: 'lan', type: 'openai', label: 'lan', location: 'local', baseUrl: server.url, models: ['m'], limits, enabled: true } });
    const db = openDatabase(join(dataDir, 'service-creator.db'));
    connections.push(db);
    const windowRequests = () => db.prepare("SELECT COALESCE(SUM(requests), 0) FROM rate_usage WHERE provider_id = 'lan'").pluck().get() as number;
    const starts = () => server.requests.filter((request) => request.path === chatPath).map((request) => request.receivedAt);
    const seconds = () => db.prepare("SELECT second, requests FROM rate_usage WHERE provider_id = 'lan' ORDER BY second").all() as { second: number; requests: number }[];
    return { a, b, windowRequests, starts, seconds };
  }

  const ask = (core: Core, deadlineMs?: number) => core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }], ...(deadlineMs === undefined ? {} : { deadlineMs }) });

  it('a lease of several slots used once: the window counts them all until its second is over, then the one started', async () => {
    const { a, windowRequests, starts } = await setUp({ requestsPerMinute: 60 });
    await ask(a);
    expect(starts()).toHaveLength(1);
    // A sixteenth of the minute's 60: three slots leased, one used.
    expect(windowRequests()).toBe(3);
    const until = Date.now() + 2_500;
    while (windowRequests() !== 1 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(windowRequests()).toBe(1);
  });

  it('an answer cut off after it streamed (no cap named, no usage sent) counts the tokens that streamed against tokens per minute, not 0', async () => {
    const server = await startFakeOpenAiServer({ defaultStep: { resetAfterTokens: 5, reply: 'abcdefgh '.repeat(44) + 'abc' } });
    servers.push(server);
    const dataDir = createTempDir('sc-int-rate-cut-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {}, routerOptions: { maxRetries: 0 } });
    cores.push(core);
    await coreCaller(core)('providers.add', { config: { id: 'lan', type: 'openai', label: 'lan', location: 'local', baseUrl: server.url, models: ['m'], limits: { tokensPerMinute: 100_000 }, enabled: true } });
    const failed = await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'NO_ROUTE' });
    const streamed = core.gateway.attempts.recent(5, 'calls')[0];
    expect(streamed).toMatchObject({ outcome: 'error' });
    const db = openDatabase(join(dataDir, 'service-creator.db'));
    connections.push(db);
    // Once the lease's unused slots and tokens are given back (its second over, the next batch), the window holds what the
    // call used: the prompt's estimate plus what streamed (5 of 7 pieces of 400 characters, about 70 tokens), not the prompt alone.
    const window = () => db.prepare("SELECT COALESCE(SUM(requests), 0) AS requests, COALESCE(SUM(tokens), 0) AS tokens FROM rate_usage WHERE provider_id = 'lan'").get() as { requests: number; tokens: number };
    const until = Date.now() + 3_000;
    while (window().requests !== 1 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(window().requests).toBe(1);
    expect(window().tokens).toBeGreaterThanOrEqual(60);
  });

  it('60 a minute: 70 calls from two processes at once start at most 60 in the minute, the rest wait past their deadline', async () => {
    const { a, b, windowRequests, starts } = await setUp({ requestsPerMinute: 60 });
    const settled = await Promise.allSettled(Array.from({ length: 70 }, (_, n) => ask(n % 2 === 0 ? a : b, 4_000)));
    const answered = settled.filter((result) => result.status === 'fulfilled').length;
    expect(starts()).toHaveLength(answered);
    expect(answered).toBeLessThanOrEqual(60);
    // Slots are not lost to leases: nearly the whole minute's room was used.
    expect(answered).toBeGreaterThanOrEqual(55);
    for (const core of cores) core.gateway.controls.close();
    expect(windowRequests()).toBe(answered);
  }, 20_000);

  it('a burst of 1: calls from both processes at once start one a second', async () => {
    const { a, b, starts, seconds } = await setUp({ burst: 1 });
    await Promise.all([ask(a), ask(b), ask(a), ask(b)]);
    // The window's seconds (when each slot was taken; the server's clock may see one a moment later).
    expect(seconds().map((row) => row.requests)).toEqual([1, 1, 1, 1]);
    const [first = 0, , , last = 0] = [...seconds()].map((row) => row.second);
    expect(last - first).toBe(3);
    const received = starts();
    expect(Math.max(...received) - Math.min(...received)).toBeGreaterThan(1_900);
  }, 20_000);
});
