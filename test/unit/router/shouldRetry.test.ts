import { describe, expect, it } from 'vitest';
import { isBreakerFailure, shouldRetry, type RetryInput } from '../../../src-main/router/shouldRetry.ts';

const base: RetryInput = { kind: 'server', retried: { errors: 0, rateLimits: 0 }, maxRetries: 2, maxRateLimitRetries: 8, baseDelayMs: 100, maxDelayMs: 1000, random: 1 };
const stop = { retry: false, delayMs: 0 };

describe('shouldRetry', () => {
  it.each(['conflict', 'request-timeout', 'server', 'connection'] as const)('retries %s on the error budget', (kind) => {
    expect(shouldRetry({ ...base, kind })).toMatchObject({ retry: true, budget: 'errors' });
  });

  it('retries 429 on a budget of its own', () => {
    expect(shouldRetry({ ...base, kind: 'rate-limited' })).toMatchObject({ retry: true, budget: 'rateLimits' });
  });

  it.each(['auth', 'bad-request', 'not-found', 'context-length', 'invalid-output', 'unavailable', 'cancelled'] as const)('does not retry %s', (kind) => {
    expect(shouldRetry({ ...base, kind })).toEqual(stop);
  });

  it('does not retry a timeout: a hung target is left at once for the next one', () => {
    expect(shouldRetry({ ...base, kind: 'timeout' })).toEqual(stop);
  });

  it('stops once the error retries are used up, whatever the rate-limit count', () => {
    expect(shouldRetry({ ...base, retried: { errors: 2, rateLimits: 0 } })).toEqual(stop);
    expect(shouldRetry({ ...base, retried: { errors: 1, rateLimits: 8 } })).toMatchObject({ retry: true });
  });

  it('retries 429 up to maxRateLimitRetries, however many error retries were made', () => {
    const rateLimited = { ...base, kind: 'rate-limited' as const };
    expect(shouldRetry({ ...rateLimited, retried: { errors: 2, rateLimits: 7 } })).toMatchObject({ retry: true });
    expect(shouldRetry({ ...rateLimited, retried: { errors: 0, rateLimits: 8 } })).toEqual(stop);
  });

  it('backs off exponentially with jitter in [d/2, d], capped', () => {
    expect(shouldRetry({ ...base, random: 1 }).delayMs).toBe(100);
    expect(shouldRetry({ ...base, random: 0 }).delayMs).toBe(50);
    expect(shouldRetry({ ...base, retried: { errors: 1, rateLimits: 0 }, random: 1 }).delayMs).toBe(200);
    expect(shouldRetry({ ...base, retried: { errors: 7, rateLimits: 0 }, random: 1, maxRetries: 9 }).delayMs).toBe(1000);
  });

  it('429 with Retry-After: 0 still backs off, growing each time up to the cap', () => {
    const schedule = (random: number) =>
      Array.from({ length: 8 }, (_, n) => shouldRetry({ ...base, kind: 'rate-limited', retryAfterMs: 0, retried: { errors: 0, rateLimits: n }, random }).delayMs);
    expect(schedule(1)).toEqual([100, 200, 400, 800, 1000, 1000, 1000, 1000]);
    expect(schedule(0)).toEqual([50, 100, 200, 400, 500, 500, 500, 500]);
  });

  it('Retry-After is a floor: it lengthens the wait (within a bound), never shortens it', () => {
    expect(shouldRetry({ ...base, retryAfterMs: 2000 }).delayMs).toBe(2000);
    expect(shouldRetry({ ...base, retryAfterMs: 10 }).delayMs).toBe(100);
    expect(shouldRetry({ ...base, kind: 'rate-limited', retried: { errors: 0, rateLimits: 3 }, retryAfterMs: 1 }).delayMs).toBe(800);
    expect(shouldRetry({ ...base, retryAfterMs: 3_600_000 }).delayMs).toBe(6000);
  });

  it('makes no retry whose wait would reach the call deadline', () => {
    expect(shouldRetry({ ...base, remainingMs: 101 })).toMatchObject({ retry: true, delayMs: 100 });
    expect(shouldRetry({ ...base, remainingMs: 100 })).toEqual({ ...stop, reachesDeadline: true });
    expect(shouldRetry({ ...base, kind: 'rate-limited', retryAfterMs: 5000, remainingMs: 4000 })).toEqual({ ...stop, reachesDeadline: true });
  });

  it('counts only backend trouble against the circuit breaker (a 429 is the server asking to slow down)', () => {
    expect(isBreakerFailure('server')).toBe(true);
    expect(isBreakerFailure('timeout')).toBe(true);
    expect(isBreakerFailure('connection')).toBe(true);
    expect(isBreakerFailure('rate-limited')).toBe(false);
    expect(isBreakerFailure('auth')).toBe(false);
    expect(isBreakerFailure('bad-request')).toBe(false);
    expect(isBreakerFailure('cancelled')).toBe(false);
  });
});
