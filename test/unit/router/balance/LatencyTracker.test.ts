import { describe, expect, it } from 'vitest';
import { InFlightCounter } from '../../../../src-main/router/balance/InFlightCounter.ts';
import { LatencyTracker } from '../../../../src-main/router/balance/LatencyTracker.ts';
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
