import { describe, expect, it } from 'vitest';
import { isBreakerFailure, shouldRetry, type RetryInput } from '../../../src-main/router/shouldRetry.ts';

const base: RetryInput = { kind: 'server', attempt: 1, maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1000, random: 1 };

describe('shouldRetry', () => {
  it.each(['rate-limited', 'conflict', 'request-timeout', 'server', 'timeout', 'connection'] as const)('retries %s', (kind) => {
    expect(shouldRetry({ ...base, kind })).toMatchObject({ retry: true });
  });

  it.each(['auth', 'bad-request', 'not-found', 'context-length', 'invalid-output', 'unavailable'] as const)('does not retry %s but falls back', (kind) => {
    expect(shouldRetry({ ...base, kind })).toEqual({ retry: false, fallback: true, delayMs: 0 });
  });

  it('stops everything on cancellation', () => {
    expect(shouldRetry({ ...base, kind: 'cancelled' })).toEqual({ retry: false, fallback: false, delayMs: 0 });
  });

  it('falls back once the retries are used up', () => {
    expect(shouldRetry({ ...base, attempt: 3 })).toEqual({ retry: false, fallback: true, delayMs: 0 });
  });

  it('backs off exponentially with jitter in [d/2, d], capped', () => {
    expect(shouldRetry({ ...base, attempt: 1, random: 1 }).delayMs).toBe(100);
    expect(shouldRetry({ ...base, attempt: 1, random: 0 }).delayMs).toBe(50);
    expect(shouldRetry({ ...base, attempt: 2, random: 1, maxAttempts: 9 }).delayMs).toBe(200);
    expect(shouldRetry({ ...base, attempt: 8, random: 1, maxAttempts: 9 }).delayMs).toBe(1000);
  });

  it('waits at least Retry-After, within a bound', () => {
    expect(shouldRetry({ ...base, retryAfterMs: 2000 }).delayMs).toBe(2000);
    expect(shouldRetry({ ...base, retryAfterMs: 10 }).delayMs).toBe(100);
    expect(shouldRetry({ ...base, retryAfterMs: 3_600_000 }).delayMs).toBe(6000);
  });

  it('counts only backend trouble against the circuit breaker', () => {
    expect(isBreakerFailure('server')).toBe(true);
    expect(isBreakerFailure('timeout')).toBe(true);
    expect(isBreakerFailure('auth')).toBe(false);
    expect(isBreakerFailure('bad-request')).toBe(false);
    expect(isBreakerFailure('cancelled')).toBe(false);
  });
});
