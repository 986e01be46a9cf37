// The shared rate window in a real SQLite file, opened twice (as two processes would): requests
// and tokens per minute and the burst are counted across both, tokens from the real usage.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { SharedRateLimits } from '../../../src-main/store/SharedRateLimits.ts';
import { createTempDir, removeTempDirs } from '../../support/tempDir.ts';

afterAll(() => removeTempDirs());

function twoProcesses(now: () => number) {
  const path = join(createTempDir('sc-rate-'), 'service-creator.db');
  return [new SharedRateLimits(openDatabase(path), now), new SharedRateLimits(openDatabase(path), now)] as const;
}

describe('SharedRateLimits', () => {
  it('requests per minute: two connections share one window; the wait is until the oldest leaves it', () => {
    let now = 1_000_000;
    const [a, b] = twoProcesses(() => now);
    const limits = { requestsPerMinute: 3 };
    expect(typeof a.tryTake('p', limits, 10)).toBe('object');
    now += 10_000;
    expect(typeof b.tryTake('p', limits, 10)).toBe('object');
    expect(typeof a.tryTake('p', limits, 10)).toBe('object');
    expect(b.tryTake('p', limits, 10)).toBe(50_000); // the first request leaves the window at +60 s
    expect(b.tryTake('other', limits, 10)).not.toBeTypeOf('number'); // another provider has its own
    now += 50_000;
    expect(typeof b.tryTake('p', limits, 10)).toBe('object');
  });

  it('tokens per minute count what the call really used (settled), not the estimate', () => {
    let now = 5_000_000;
    const [a, b] = twoProcesses(() => now);
    const limits = { tokensPerMinute: 1000 };
    const slot = a.tryTake('p', limits, 100);
    if (typeof slot === 'number') throw new Error('expected a slot');
    expect(typeof b.tryTake('p', limits, 100)).toBe('object'); // 200 of 1000
    slot.settle(850); // the answer was long: 950 of 1000
    now += 1_000;
    expect(b.tryTake('p', limits, 100)).toBe(59_000);
    // A request larger than the whole budget goes alone once the window is empty.
    now += 60_000;
    expect(typeof a.tryTake('p', limits, 5_000)).toBe('object');
  });

  it('burst: at most N requests start within any one second', () => {
    let now = 9_000_000;
    const [a, b] = twoProcesses(() => now);
    const limits = { requestsPerMinute: 100, burst: 2 };
    expect(typeof a.tryTake('p', limits, 1)).toBe('object');
    now += 300;
    expect(typeof b.tryTake('p', limits, 1)).toBe('object');
    now += 100;
    expect(a.tryTake('p', limits, 1)).toBe(600);
    now += 600;
    expect(typeof a.tryTake('p', limits, 1)).toBe('object');
  });
});

describe('SharedRateLimits when the clock is set back', () => {
  it('seconds counted ahead of the clock (set back by an hour) count as now: the burst still holds', () => {
    let now = 20_000_000_000;
    const [a, b] = twoProcesses(() => now);
    const limits = { requestsPerMinute: 100, burst: 1 };
    expect(typeof a.tryTake('p', limits, 1)).toBe('object');
    now -= 3_600_000; // the clock goes back an hour: that request was made a moment ago
    // It counts as this second's: a burst of 1 waits for the next second, not for the hour.
    const wait = b.tryTake('p', limits, 1);
    expect(wait).toBeTypeOf('number');
    expect(wait as number).toBeLessThanOrEqual(1_000);
    now += 1_000;
    expect(typeof b.tryTake('p', limits, 1)).toBe('object');
    // A burst of 1: no second request in this second, however far ahead the last second counted was.
    expect(a.tryTake('p', limits, 1)).toBeTypeOf('number');
    expect(b.tryTake('p', limits, 1)).toBeTypeOf('number');
  });

  it('seconds that left the window are still pruned after the clock was set back an hour (not only once it passes the last prune again)', () => {
    let now = 40_000_000_000;
    const path = join(createTempDir('sc-rate-prune-'), 'service-creator.db');
    const db = openDatabase(path);
    const limits = new SharedRateLimits(db, () => now);
    expect(typeof limits.tryTake('p', { requestsPerMinute: 100 }, 1)).toBe('object'); // prunes, and notes when
    now -= 3_600_000;
    expect(typeof limits.tryTake('q', { requestsPerMinute: 100 }, 1)).toBe('object');
    now += 70_000; // q's second left the window a while ago
    expect(typeof limits.tryTake('r', { requestsPerMinute: 100 }, 1)).toBe('object');
    expect(db.prepare('SELECT provider_id FROM rate_usage ORDER BY provider_id').pluck().all()).toEqual(['p', 'r']);
  });

  it('a full minute counted ahead of the clock waits about a minute, not an hour', () => {
    let now = 30_000_000_000;
    const [a, b] = twoProcesses(() => now);
    const limits = { requestsPerMinute: 3 };
    for (let i = 0; i < 3; i += 1) expect(typeof a.tryTake('p', limits, 1)).toBe('object');
    now -= 3_600_000;
    const wait = b.tryTake('p', limits, 1);
    expect(wait).toBeTypeOf('number');
    expect(wait as number).toBeLessThanOrEqual(60_000);
    now += wait as number;
    expect(typeof b.tryTake('p', limits, 1)).toBe('object');
  });
});
