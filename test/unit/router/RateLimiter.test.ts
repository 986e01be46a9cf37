import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src-main/router/RateLimiter.ts';

describe('RateLimiter', () => {
  it('lets requests through up to the per-minute count, then says how long to wait', async () => {
    let now = 0;
    const limiter = new RateLimiter({ requestsPerMinute: 2 }, () => now);
    await limiter.acquire(1);
    now = 10_000;
    await limiter.acquire(1);
    expect(limiter.waitTime(1)).toBe(50_000);
    now = 60_001;
    expect(limiter.waitTime(1)).toBe(0);
  });

  it('counts tokens per minute', async () => {
    let now = 0;
    const limiter = new RateLimiter({ tokensPerMinute: 1000 }, () => now);
    await limiter.acquire(800);
    expect(limiter.waitTime(300)).toBe(60_000);
    expect(limiter.waitTime(200)).toBe(0);
    now = 60_000;
    expect(limiter.waitTime(300)).toBe(0);
  });

  it('lets a request larger than the whole budget through alone', async () => {
    const limiter = new RateLimiter({ tokensPerMinute: 100 }, () => 0);
    expect(limiter.waitTime(5000)).toBe(0);
  });

  it('waits for real and can be cancelled while waiting', async () => {
    const limiter = new RateLimiter({ requestsPerMinute: 1 });
    await limiter.acquire(1);
    const controller = new AbortController();
    const waiting = limiter.acquire(1, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });

  it('has no limits when none are configured', async () => {
    const limiter = new RateLimiter({});
    for (let i = 0; i < 1000; i++) await limiter.acquire(1_000_000);
    expect(limiter.waitTime(1)).toBe(0);
  });

  it('the clock set back by an hour: requests made a moment ago leave the window within a minute, not an hour later (per minute, burst and tokens)', () => {
    let now = Date.parse('2026-12-03T12:00:00.000Z');
    const limiter = new RateLimiter({ requestsPerMinute: 2, burst: 1, tokensPerMinute: 100 }, () => now);
    expect(limiter.tryAcquire(10)).toBe(true);
    now += 30_000;
    expect(limiter.tryAcquire(10)).toBe(true);
    now -= 3_600_000;
    // Both count as made now: the window is full for a minute at most.
    expect(limiter.waitTime(10)).toBeGreaterThan(0);
    expect(limiter.waitTime(10)).toBeLessThanOrEqual(60_000);
    now += 60_000;
    expect(limiter.waitTime(10)).toBe(0);
    expect(limiter.tryAcquire(10)).toBe(true);
    // The burst of one a second holds from the clock as it is now.
    expect(limiter.waitTime(10)).toBe(1_000);
    now += 1_000;
    expect(limiter.waitTime(10)).toBe(0);
  });
});
