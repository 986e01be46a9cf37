import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { BalanceStrategy } from '../../../src-shared/domain/balanceStrategy.ts';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { ModelGateway } from '../../../src-main/gateway/ModelGateway.ts';
import { providerDescriptors } from '../../../src-main/providers/descriptors/providerDescriptors.ts';
import { ProviderRegistry } from '../../../src-main/providers/descriptors/ProviderRegistry.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { ProviderRepository } from '../../../src-main/store/ProviderRepository.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * Equivalent targets under a balancing strategy: one whose rate limit is used up for this minute
 * passes the call to the next (recorded, with when its next slot is), where before the call
 * waited out the window (up to a minute) beside an idle target. In listed order the first target
 * is the user's choice, and the call still waits for it.
 */
const servers: FakeServer[] = [];
const gateways: ModelGateway[] = [];
const databases: Database[] = [];
const tempDir = useTempDirs();
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  for (const db of databases.splice(0)) db.close();
});

const chatPath = '/v1/chat/completions';
const ask = (signal?: AbortSignal) => ({ task: 'code' as const, messages: [{ role: 'user' as const, content: 'write the handler' }], ...(signal ? { signal } : {}) });
/** A call pinned to a: it takes a's one request of this minute. */
const toA = { ...ask(), only: { providerId: 'a', model: 'm-a' } };

async function setUp(strategy: BalanceStrategy) {
  const db = openDatabase(join(tempDir(), 'rates.db'));
  databases.push(db);
  const stored = new ProviderRepository(db);
  const servers_: Record<string, FakeServer> = {};
  for (const id of ['a', 'b']) {
    const server = await startFakeOpenAiServer({ defaultStep: { reply: `from ${id}` } });
    servers.push(server);
    servers_[id] = server;
    // One request a minute each, no burst: the second call in a minute finds a's window full.
    const config: ProviderConfig = { id, type: 'openai', label: id, location: 'cloud', baseUrl: server.url, apiKeyEnv: 'RATES_KEY', models: [`m-${id}`], limits: { requestsPerMinute: 1, burst: 1 }, enabled: true };
    stored.add(config);
  }
  const routing = { code: [{ providerId: 'a', model: 'm-a' }, { providerId: 'b', model: 'm-b' }] };
  const strategies = { code: strategy };
  // a is the cheaper (least-cost tries it first); weighted draws a first (random 0).
  const prices = new Map([
    ['m-a', { inputPerMillion: 1, outputPerMillion: 1 }],
    ['m-b', { inputPerMillion: 2, outputPerMillion: 2 }],
  ]);
  const gateway = new ModelGateway({
    db,
    providers: () => stored.list().providers,
    routing: () => routing,
    strategies: () => strategies,
    privacyMode: () => 'cloud-allowed',
    registry: new ProviderRegistry(providerDescriptors),
    secrets: { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false },
    env: { RATES_KEY: 'rates-test-key-0123456789' },
    modelDirs: [],
    pricing: { asOf: 'test', prices },
    routerOptions: { random: () => 0 },
  });
  gateways.push(gateway);
  return { gateway, servers: servers_, stored };
}

describe('a rate-limited target under balancing', () => {
  for (const strategy of ['weighted', 'least-latency', 'least-cost'] as const) {
    it(`${strategy}: a call that finds the target it would try first used up goes on to the other at once, and the passed-over target says why`, async () => {
      const { gateway, servers: by } = await setUp(strategy);
      expect((await gateway.chat(toA)).target.providerId).toBe('a');
      const started = performance.now();
      const next = await gateway.chat(ask());
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(next.target.providerId).toBe('b');
      expect((by.a as FakeServer).count(chatPath)).toBe(1);
      expect((by.b as FakeServer).count(chatPath)).toBe(1);
      // least-latency tries b first anyway (a has been measured, b not yet); the others try a and pass it over.
      const passed = next.attempts.filter((attempt) => attempt.outcome === 'skipped');
      if (strategy === 'least-latency') expect(passed).toEqual([]);
      else expect(passed).toEqual([expect.objectContaining({ providerId: 'a', strategy, reason: expect.stringMatching(new RegExp(`^rate limit reached: its next slot is in .+, so ${strategy} sends the call to the next target$`)) })]);
      // Both windows used up: the last target waits for its slot (the caller may cancel the wait); nothing more is sent.
      const controller = new AbortController();
      const third = gateway.chat(ask(controller.signal)).catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      controller.abort();
      expect(await third).toMatchObject({ code: 'CANCELLED' });
      expect((by.a as FakeServer).count(chatPath) + (by.b as FakeServer).count(chatPath)).toBe(2);
    }, 20_000);
  }

  it('ordered: the first target is the user\'s choice, so the call waits for its slot rather than going to the second', async () => {
    const { gateway, servers: by } = await setUp('ordered');
    expect((await gateway.chat(toA)).target.providerId).toBe('a');
    const controller = new AbortController();
    const second = gateway.chat(ask(controller.signal)).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    expect(await second).toMatchObject({ code: 'CANCELLED' });
    expect((by.b as FakeServer).count(chatPath)).toBe(0);
  }, 20_000);

  for (const change of ['turned off', 'removed'] as const) {
    it(`a provider ${change} while a call waits for its rate limit gets nothing: the call goes on to the next target, and the attempt says why`, async () => {
      const { gateway, servers: by, stored } = await setUp('ordered');
      expect((await gateway.chat(toA)).target.providerId).toBe('a');
      const waiting = gateway.chat(ask());
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (change === 'removed') stored.remove('a');
      else stored.update({ ...stored.get('a'), enabled: false });
      const started = performance.now();
      const answered = await waiting;
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(answered.target.providerId).toBe('b');
      expect(answered.attempts[0]).toMatchObject({ providerId: 'a', outcome: 'skipped', reason: `${change} while this call waited for its rate limit, so nothing was sent to it` });
      expect((by.a as FakeServer).count(chatPath)).toBe(1);
    }, 20_000);
  }
});
