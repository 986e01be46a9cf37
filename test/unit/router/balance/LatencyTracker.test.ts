import { describe, expect, it } from 'vitest';
import { InFlightCounter } from '../../../../src-main/router/balance/InFlightCounter.ts';
import { LatencyTracker } from '../../../../src-main/router/balance/LatencyTracker.ts';
import { targetKey } from '../../../../src-main/router/balance/targetKey.ts';
import { StickyTargets } from '../../../../src-main/router/balance/StickyTargets.ts';

describe('LatencyTracker', () => {
  it('averages time to first token with recent attempts weighing most, and forgets a stale estimate', () => {
    let now = 0;
    const tracker = new LatencyTracker({ alpha: 0.5, staleAfterMs: 1_000, now: () => now });
    expect(tracker.estimate('a')).toBeUndefined();
    tracker.record('a', 100);
    expect(tracker.estimate('a')).toBe(100);
    tracker.record('a', 300);
    expect(tracker.estimate('a')).toBe(200);
    tracker.record('a', Number.NaN);
    tracker.record('a', -5);
    expect(tracker.estimate('a')).toBe(200);
    now = 1_001;
    expect(tracker.estimate('a')).toBeUndefined();
    tracker.record('a', 40);
    expect(tracker.estimate('a')).toBe(40);
  });

  it('the clock set back: an estimate is forgotten once it is stale counted from then, not only once the clock passes the time it was made again', () => {
    let now = 3_600_000;
    const tracker = new LatencyTracker({ staleAfterMs: 1_000, now: () => now });
    tracker.record('slow', 9_000);
    now = 0;
    expect(tracker.estimate('slow')).toBe(9_000);
    now = 1_001;
    expect(tracker.estimate('slow')).toBeUndefined();
  });
});

describe('InFlightCounter', () => {
  it('counts calls under way; each end counts once, however often it is called', () => {
    const counter = new InFlightCounter();
    const endA = counter.start('a');
    const endB = counter.start('a');
    expect(counter.count('a')).toBe(2);
    endA();
    endA();
    expect(counter.count('a')).toBe(1);
    endB();
    expect(counter.count('a')).toBe(0);
  });
});

describe('StickyTargets', () => {
  it('remembers the last target per key and forgets the oldest keys past its limit', () => {
    const sticky = new StickyTargets(2);
    sticky.set('run-1', 'a');
    sticky.set('run-2', 'b');
    sticky.set('run-1', 'c');
    sticky.set('run-3', 'd');
    expect(sticky.get('run-1')).toBe('c');
    expect(sticky.get('run-2')).toBeUndefined();
    expect(sticky.get('run-3')).toBe('d');
  });

});

describe('LatencyTracker seeded from the attempts table', () => {
  it('a tracker that measured nothing starts, once, from the samples other processes recorded within its window', () => {
    let now = 10_000;
    const asked: number[] = [];
    const seed = (sinceMs: number) => {
      asked.push(sinceMs);
      return [
        { providerId: 'a', model: 'm', ms: 100, at: 9_000 },
        { providerId: 'a', model: 'm', ms: 300, at: 9_500 },
        { providerId: 'b', model: 'm', ms: 50, at: 8_000 },
      ];
    };
    const tracker = new LatencyTracker({ alpha: 0.5, staleAfterMs: 5_000, now: () => now, seed });
    const a = targetKey({ providerId: 'a', model: 'm' });
    const b = targetKey({ providerId: 'b', model: 'm' });
    expect(tracker.estimate(a)).toBe(200);
    expect(tracker.estimate(b)).toBe(50);
    expect(asked).toEqual([5_000]);
    // Each sample ages from when it was taken.
    now = 13_500;
    expect(tracker.estimate(b)).toBeUndefined();
    expect(tracker.estimate(a)).toBe(200);
  });

  it('one that measured something itself first never adds the others; a store that cannot be read leaves targets unmeasured', () => {
    const seeded = new LatencyTracker({ now: () => 0, seed: () => [{ providerId: 'a', model: 'm', ms: 999, at: 0 }] });
    seeded.record(targetKey({ providerId: 'a', model: 'm' }), 10);
    expect(seeded.estimate(targetKey({ providerId: 'a', model: 'm' }))).toBe(10);
    const broken = new LatencyTracker({
      now: () => 0,
      seed: () => {
        throw new Error('database is locked');
      },
    });
    expect(broken.estimate(targetKey({ providerId: 'a', model: 'm' }))).toBeUndefined();
  });
});

