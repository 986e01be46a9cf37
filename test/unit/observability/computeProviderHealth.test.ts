import { describe, expect, it } from 'vitest';
import { providerHealthSchema } from '../../../src-shared/domain/providerHealth.ts';
import { computeProviderHealth, percentile } from '../../../src-main/observability/computeProviderHealth.ts';
import type { HealthRow } from '../../../src-main/store/AttemptHealthRepository.ts';

const now = new Date('2026-12-03T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
const row = (minutes: number, fields: Partial<HealthRow> = {}): HealthRow => ({
  providerId: 'cloud',
  model: 'big',
  outcome: 'ok',
  startedAt: minutesAgo(minutes),
  latencyMs: 100,
  cacheHit: false,
  skippedWhilePaused: false,
  ...fields,
});
const labels: Record<string, string> = { cloud: 'Cloud AI', local: 'This computer' };
const labelOf = (id: string) => labels[id];

describe('percentile (nearest rank)', () => {
  it('picks the smallest value with at least p of the values at or below it', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('computeProviderHealth', () => {
  it('computes calls, errors, error rate and latency per target for the hour and the day', () => {
    const rows = [
      // In the hour: 4 answered (latencies 100..400) and 1 failed.
      ...[100, 200, 300, 400].map((latencyMs, index) => row(10 + index, { latencyMs })),
      row(20, { outcome: 'error', latencyMs: 5_000 }),
      // Earlier in the day: 5 more answered, slower.
      ...[1_000, 2_000, 3_000, 4_000, 5_000].map((latencyMs, index) => row(120 + index * 60, { latencyMs })),
      // Older than a day: not counted.
      row(24 * 60 + 5, { outcome: 'error' }),
    ];
    const health = computeProviderHealth({ rows, breakers: [], labelOf, now });
    expect(health.generatedAt).toBe(now.toISOString());
    expect(health.targets).toHaveLength(1);
    const [target] = health.targets;
    expect(target).toMatchObject({ providerId: 'cloud', model: 'big', label: 'Cloud AI', breaker: 'closed', lastCallAt: minutesAgo(10) });
    expect(target?.windows).toEqual([
      { window: 'hour', calls: 5, errors: 1, errorRate: 0.2, p50Ms: 200, p95Ms: 400, skippedWhilePaused: 0 },
      { window: 'day', calls: 10, errors: 1, errorRate: 0.1, p50Ms: 1_000, p95Ms: 5_000, skippedWhilePaused: 0 },
    ]);
  });

  it('counts neither cache hits nor skips as calls, and counts skips for an open breaker apart', () => {
    const rows = [
      row(1, { cacheHit: true, latencyMs: 1 }),
      row(2, { outcome: 'skipped', latencyMs: null, skippedWhilePaused: true }),
      row(3, { outcome: 'skipped', latencyMs: null }),
      row(4, { outcome: 'cancelled', latencyMs: 50 }),
    ];
    const [target] = computeProviderHealth({ rows, breakers: [], labelOf, now }).targets;
    expect(target?.windows[0]).toEqual({ window: 'hour', calls: 0, errors: 0, errorRate: null, p50Ms: null, p95Ms: null, skippedWhilePaused: 1 });
    expect(target?.lastCallAt).toBeNull();
  });

  it('takes the breaker from the live states, lists a target known only by its breaker, and sorts the busiest first', () => {
    const rows = [row(5, { providerId: 'local', model: 'small' }), row(6), row(7)];
    const health = computeProviderHealth({
      rows,
      breakers: [
        { providerId: 'cloud', model: 'big', state: 'open' },
        { providerId: 'gone', model: 'old', state: 'half-open' },
      ],
      labelOf,
      now,
    });
    expect(health.targets.map((target) => [target.label, target.model, target.breaker, target.windows[1]?.calls])).toEqual([
      ['Cloud AI', 'big', 'open', 2],
      ['This computer', 'small', 'closed', 1],
      ['gone', 'old', 'half-open', 0],
    ]);
  });

  it('leaves a negative latency (the wall clock set back during a call) out of p50/p95, so the health still passes its own schema', () => {
    const rows = [row(1, { latencyMs: -3_000 }), row(2, { latencyMs: 300 })];
    const health = computeProviderHealth({ rows, breakers: [], labelOf, now });
    expect(health.targets[0]?.windows[0]).toMatchObject({ calls: 2, errors: 0, p50Ms: 300, p95Ms: 300 });
    // What the providers.health channel checks before the answer leaves the core: it refused the whole answer.
    expect(providerHealthSchema.safeParse(health).success).toBe(true);
  });

  it('counts attempts stamped after now (the wall clock was set back since) as the newest, in every window', () => {
    // Written before the clock went back 30 minutes: 10 and 20 minutes "ahead" of the clock now.
    const rows = [row(-10, { latencyMs: 300 }), row(-20, { outcome: 'error', latencyMs: 900 }), row(-25, { outcome: 'skipped', latencyMs: null, skippedWhilePaused: true }), row(5, { latencyMs: 100 })];
    const health = computeProviderHealth({ rows, breakers: [], labelOf, now });
    const [target] = health.targets;
    expect(target?.windows).toEqual([
      { window: 'hour', calls: 3, errors: 1, errorRate: 1 / 3, p50Ms: 100, p95Ms: 300, skippedWhilePaused: 1 },
      { window: 'day', calls: 3, errors: 1, errorRate: 1 / 3, p50Ms: 100, p95Ms: 300, skippedWhilePaused: 1 },
    ]);
    expect(target?.lastCallAt).toBe(minutesAgo(-20));
    expect(providerHealthSchema.safeParse(health).success).toBe(true);
  });

  it('keeps targets with the same model on different providers apart', () => {
    const rows = [row(1, { providerId: 'local', outcome: 'error' }), row(2)];
    const health = computeProviderHealth({ rows, breakers: [], labelOf, now });
    expect(health.targets.map((target) => [target.providerId, target.windows[0]?.errorRate])).toEqual([
      ['cloud', 0],
      ['local', 1],
    ]);
  });
});
