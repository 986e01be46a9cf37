// A target's circuit breaker when the wall clock is set back while it is open: cockatiel times
// the cool-down by Date.now, so without care the target stayed paused for as long as the clock
// went back (an hour: every call skipped it or failed "circuit open" for an hour).
import { CircuitState } from 'cockatiel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { TargetBreakers } from '../../../src-main/router/TargetBreakers.ts';
import { targetKey } from '../../../src-main/router/balance/targetKey.ts';

afterEach(() => {
  vi.useRealTimers();
});

const target = { providerId: 'cloud', model: 'big' };
const serverDown = () => Promise.reject(new ProviderError('cloud', 'server', 'the server answered 503'));

describe('TargetBreakers when the wall clock is set back', () => {
  it('an open circuit tries again after its cool-down as the machine counts it, not once the wall clock passes the time it opened again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const opened = Date.parse('2026-12-03T12:00:00.000Z');
    vi.setSystemTime(opened);
    let monotonic = 50_000;
    const breakers = new TargetBreakers({ threshold: 1, halfOpenAfterMs: 1_000, clock: () => monotonic });
    const breaker = breakers.for(target);
    await expect(breaker.execute(serverDown)).rejects.toMatchObject({ kind: 'server' });
    expect(breaker.state).toBe(CircuitState.Open);
    // Within the cool-down, the clock set back: still paused.
    vi.setSystemTime(opened - 3_600_000);
    monotonic += 500;
    expect(breakers.health(targetKey(target))).toBe('open');
    await expect(breaker.execute(async () => 'answered')).rejects.toThrow();
    // The cool-down over by the machine's clock: a probe is due and answers.
    vi.setSystemTime(opened - 3_600_000 + 600);
    monotonic += 600;
    expect(breakers.health(targetKey(target))).toBe('probe-due');
    await expect(breaker.execute(async () => 'answered')).resolves.toBe('answered');
    expect(breaker.state).toBe(CircuitState.Closed);
  });

  it('without a clock set back, the cool-down is as before (Date-timed tests and cockatiel agree)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-03T12:00:00.000Z'));
    const breakers = new TargetBreakers({ threshold: 1, halfOpenAfterMs: 1_000, clock: () => 0 });
    const breaker = breakers.for(target);
    await expect(breaker.execute(serverDown)).rejects.toMatchObject({ kind: 'server' });
    expect(breakers.health(targetKey(target))).toBe('open');
    vi.setSystemTime(Date.now() + 1_000);
    expect(breakers.health(targetKey(target))).toBe('probe-due');
    await expect(breaker.execute(async () => 'answered')).resolves.toBe('answered');
  });
});
