// Rate leases (RateLeases over SharedRateLimits) on a real SQLite file opened three times: two
// connections stand for two processes taking slots, a third reads the shared window. One clock
// drives all three; batches of attempts (which carry the give-backs) are written every 100 ms
// of that clock, as the real timers would.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RateLeases } from '../../../src-main/gateway/RateLeases.ts';
import { AttemptRepository } from '../../../src-main/store/AttemptRepository.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { SharedRateLimits } from '../../../src-main/store/SharedRateLimits.ts';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { seededRandom } from '../../support/seededRandom.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const provider = (limits: ProviderConfig['limits']): ProviderConfig => ({ id: 'p', type: 'openai', label: 'p', location: 'cloud', baseUrl: 'https://example.com/v1', models: ['m'], limits, enabled: true });

function setUp(tempDir: () => string) {
  const path = join(tempDir(), 'service-creator.db');
  // On a second's start, so the test knows which second each step is in.
  const clock = { now: Math.ceil(Date.now() / 1000) * 1000 + 1_000 };
  const now = () => clock.now;
  const processes = ['a', 'b'].map(() => {
    const db = openDatabase(path);
    const attempts = new AttemptRepository(db);
    return { db, attempts, leases: new RateLeases({ rates: new SharedRateLimits(db, now), attempts, now }) };
  });
  const third = openDatabase(path);
  const window = (second: number) => (third.prepare("SELECT requests, tokens FROM rate_usage WHERE provider_id = 'p' AND second = ?").get(second) as { requests: number; tokens: number } | undefined) ?? { requests: 0, tokens: 0 };
  return { clock, processes, window };
}

/** Starts per whole second, from the seconds calls were let start in. */
function perSecond(starts: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const at of starts) counts.set(Math.floor(at / 1000), (counts.get(Math.floor(at / 1000)) ?? 0) + 1);
  return counts;
}

describe('RateLeases', () => {
  const tempDir = useTempDirs();

  it('slots a lease did not use go back once its second is over and a batch is written; until then the window counts them', () => {
    const { clock, processes, window } = setUp(tempDir);
    const [a] = processes as [(typeof processes)[number]];
    const config = provider({ requestsPerMinute: 60 });
    const second = clock.now / 1000;
    const slot = a.leases.tryTake(config, 10);
    expect(typeof slot).toBe('object');
    // A sixteenth of the minute's 60: three slots, one used.
    expect(window(second)).toEqual({ requests: 3, tokens: 30 });
    a.attempts.flush();
    expect(window(second)).toEqual({ requests: 3, tokens: 30 });
    clock.now += 1_000;
    a.attempts.flush();
    expect(window(second)).toEqual({ requests: 1, tokens: 10 });
    if (typeof slot === 'object') slot.settle(25);
    a.attempts.flush();
    expect(window(second)).toEqual({ requests: 1, tokens: 25 });
  });

  it('60 requests a minute: two processes together never start more in any minute, and unused slots are not lost', () => {
    const { clock, processes } = setUp(tempDir);
    const config = provider({ requestsPerMinute: 60 });
    const random = seededRandom(3);
    const starts: number[] = [];
    const start = clock.now;
    let lastBatch = clock.now;
    // Each process wants a call now and then (about 80 a minute together): leases of several slots, mostly unused.
    while (clock.now < start + 240_000) {
      clock.now += 1 + Math.floor(random() * 200);
      for (const proc of processes) {
        if (random() < 0.13 && typeof proc.leases.tryTake(config, 10) === 'object') starts.push(clock.now);
      }
      if (clock.now - lastBatch >= 100) {
        for (const proc of processes) proc.attempts.flush();
        lastBatch = clock.now;
      }
    }
    const counts = perSecond(starts);
    const first = Math.floor(start / 1000);
    const last = Math.floor(clock.now / 1000);
    for (let second = first; second <= last; second++) {
      let inWindow = 0;
      for (let back = 0; back < 60; back++) inWindow += counts.get(second - back) ?? 0;
      expect(inWindow, `the minute ending at second ${second - first}`).toBeLessThanOrEqual(60);
    }
    // Demand is above the limit: the last three minutes each start close to 60 (slots given back are used by others).
    for (let minute = 1; minute < 4; minute++) {
      const inMinute = starts.filter((at) => at >= start + minute * 60_000 && at < start + (minute + 1) * 60_000).length;
      expect(inMinute, `minute ${minute}`).toBeGreaterThanOrEqual(50);
    }
  });

  it('demand under the limit is all served: a lease of 32 slots used for a few calls gives the rest back', () => {
    const { clock, processes } = setUp(tempDir);
    const config = provider({ requestsPerMinute: 600 });
    const random = seededRandom(9);
    const start = clock.now;
    let lastBatch = clock.now;
    let started = 0;
    const waits: number[] = [];
    // About 2 calls a second together (120 a minute), each lease 32 slots: most of every lease is left over.
    while (clock.now < start + 120_000) {
      clock.now += 1 + Math.floor(random() * 100);
      for (const proc of processes) {
        if (random() >= 0.05) continue;
        const taken = proc.leases.tryTake(config, 10);
        if (typeof taken === 'object') started += 1;
        else waits.push(taken);
      }
      if (clock.now - lastBatch >= 100) {
        for (const proc of processes) proc.attempts.flush();
        lastBatch = clock.now;
      }
    }
    expect(waits).toEqual([]);
    expect(started).toBeGreaterThan(150);
  });

  it('a burst of 1: one start a second across both processes, never two', () => {
    const { clock, processes } = setUp(tempDir);
    const config = provider({ burst: 1 });
    const random = seededRandom(5);
    const starts: number[] = [];
    const start = clock.now;
    while (clock.now < start + 20_000) {
      clock.now += 20 + Math.floor(random() * 120);
      for (const proc of random() < 0.5 ? processes : [...processes].reverse()) {
        if (typeof proc.leases.tryTake(config, 10) === 'object') starts.push(clock.now);
        proc.attempts.flush();
      }
    }
    const counts = perSecond(starts);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    // Both were always asking: every second had its one start.
    expect(counts.size).toBeGreaterThanOrEqual(20);
  });

  it('tokens per minute: the window ends with the tokens really used and the requests really started, slots given back on close', () => {
    const { clock, processes, window } = setUp(tempDir);
    const config = provider({ tokensPerMinute: 100_000 });
    const second = clock.now / 1000;
    let used = 0;
    let started = 0;
    for (let n = 0; n < 5; n++) {
      for (const proc of processes) {
        const slot = proc.leases.tryTake(config, 1_000);
        if (typeof slot !== 'object') throw new Error('expected a slot');
        started += 1;
        slot.settle(100 + n);
        used += 100 + n;
      }
      clock.now += 50;
    }
    // While the second lasts the window counts each lease in full (estimates, never less than used).
    expect(window(second).tokens).toBeGreaterThanOrEqual(started * 1_000);
    for (const proc of processes) {
      proc.leases.giveBackAll();
      proc.attempts.flush();
    }
    expect(window(second)).toEqual({ requests: started, tokens: used });
  });

  it('the clock set back by an hour: the slots a lease of the second before did not use still go back, and its calls settle, though that second was counted as now', () => {
    const { clock, processes } = setUp(tempDir);
    const [a, b] = processes as [(typeof processes)[number], (typeof processes)[number]];
    const config = provider({ requestsPerMinute: 60 });
    const first = a.leases.tryTake(config, 10);
    if (typeof first !== 'object') throw new Error('expected a slot');
    // Set back: the next call's lease folds the second ahead (three slots, one used) into this one.
    clock.now -= 3_600_000;
    const second = a.leases.tryTake(config, 10);
    if (typeof second !== 'object') throw new Error('expected a slot');
    first.settle(25);
    second.settle(10);
    clock.now += 1_000;
    a.attempts.flush();
    const total = () => b.db.prepare("SELECT SUM(requests) AS requests, SUM(tokens) AS tokens FROM rate_usage WHERE provider_id = 'p'").get();
    // Two calls started, 35 tokens used: not the four slots never used.
    expect(total()).toEqual({ requests: 2, tokens: 35 });
  });

  it('the clock set back: the slots a lease did not use go back with the next batch, as once its second is over (not when this process next calls that provider)', () => {
    const { clock, processes } = setUp(tempDir);
    const [a, b] = processes as [(typeof processes)[number], (typeof processes)[number]];
    const slot = a.leases.tryTake(provider({ requestsPerMinute: 60 }), 10);
    if (typeof slot !== 'object') throw new Error('expected a slot');
    clock.now -= 3_600_000;
    a.attempts.flush();
    expect(b.db.prepare("SELECT SUM(requests) AS requests, SUM(tokens) AS tokens FROM rate_usage WHERE provider_id = 'p'").get()).toEqual({ requests: 1, tokens: 10 });
  });
});
