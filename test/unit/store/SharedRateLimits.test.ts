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
