import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { spacedCalls } from '../../../src-renderer/ui/spacedCalls.ts';

describe('spacedCalls: figures followed as events come, never asked twice within the gap', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at once after a quiet while, joins the requests within the gap into one run when it is over, and runs again at once later', () => {
    let runs = 0;
    const calls = spacedCalls(() => (runs += 1), 5000);
    calls.request();
    expect(runs).toBe(1);
    vi.advanceTimersByTime(1000);
    calls.request();
    calls.request();
    vi.advanceTimersByTime(3000);
    calls.request();
    expect(runs).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(runs).toBe(2);
    vi.advanceTimersByTime(10_000);
    expect(runs).toBe(2);
    calls.request();
    expect(runs).toBe(3);
  });

  it('a run waiting is dropped by stop', () => {
    let runs = 0;
    const calls = spacedCalls(() => (runs += 1), 1000);
    calls.request();
    calls.request();
    calls.stop();
    vi.advanceTimersByTime(5000);
    expect(runs).toBe(1);
  });
});
