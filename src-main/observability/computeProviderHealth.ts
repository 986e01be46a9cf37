import { healthWindowMs, healthWindows, type HealthBreakerState, type ProviderHealth, type TargetHealth, type WindowHealth } from '../../src-shared/domain/providerHealth.ts';
import type { HealthRow } from '../store/AttemptHealthRepository.ts';

export interface BreakerSnapshot {
  providerId: string;
  model: string;
  state: HealthBreakerState;
}

export interface HealthInput {
  /** Attempts of at least the longest window (the day), any order. */
  rows: readonly HealthRow[];
  /** The router's live breakers (this process's; a target without one is closed). */
  breakers: readonly BreakerSnapshot[];
  /** The provider's label as configured now, when it still exists. */
  labelOf: (providerId: string) => string | undefined;
  now: Date;
}

/**
 * Per target (provider + model), for each window: calls that reached the provider (a cache hit
 * sent nothing, a skip is not a call), errors among them, the error rate, and p50/p95 latency of
 * the answered calls (nearest-rank; a negative latency, a clock set back, is left out); and the skips for an open breaker.
 * An attempt stamped after `now` (the clock was set back since) is one of the newest. Targets with no call in
 * the day but a live breaker are listed too. Busiest first (calls in the day), then by name.
 */
export function computeProviderHealth({ rows, breakers, labelOf, now }: HealthInput): ProviderHealth {
  const byTarget = new Map<string, { providerId: string; model: string; rows: HealthRow[] }>();
  const keyOf = (providerId: string, model: string) => JSON.stringify([providerId, model]);
  const dayStart = now.getTime() - healthWindowMs.day;
  for (const row of rows) {
    // A row stamped after now was written before the wall clock was set back (or by a process
    // whose clock runs ahead): it is among the newest, so it counts in every window, not in none.
    if (!(Date.parse(row.startedAt) >= dayStart)) continue;
    const key = keyOf(row.providerId, row.model);
    let entry = byTarget.get(key);
    if (!entry) byTarget.set(key, (entry = { providerId: row.providerId, model: row.model, rows: [] }));
    entry.rows.push(row);
  }
  const breakerOf = new Map(breakers.map((breaker) => [keyOf(breaker.providerId, breaker.model), breaker.state]));
  for (const breaker of breakers) {
    const key = keyOf(breaker.providerId, breaker.model);
    if (!byTarget.has(key)) byTarget.set(key, { providerId: breaker.providerId, model: breaker.model, rows: [] });
  }
  const targets: TargetHealth[] = [...byTarget.entries()].map(([key, entry]) => {
    const calls = entry.rows.filter(isCall);
    const last = calls.reduce<string | null>((latest, row) => (latest === null || row.startedAt > latest ? row.startedAt : latest), null);
    return {
      providerId: entry.providerId,
      model: entry.model,
      label: labelOf(entry.providerId) ?? entry.providerId,
      breaker: breakerOf.get(key) ?? 'closed',
      windows: healthWindows.map((window) => windowHealth(window, entry.rows, now.getTime() - healthWindowMs[window])),
      lastCallAt: last,
    };
  });
  const dayCalls = (target: TargetHealth) => target.windows.find((window) => window.window === 'day')?.calls ?? 0;
  targets.sort((a, b) => dayCalls(b) - dayCalls(a) || a.label.localeCompare(b.label) || a.model.localeCompare(b.model));
  return { generatedAt: now.toISOString(), targets: targets.slice(0, 500) };
}

function isCall(row: HealthRow): boolean {
  return (row.outcome === 'ok' || row.outcome === 'error') && !row.cacheHit;
}

function windowHealth(window: WindowHealth['window'], rows: readonly HealthRow[], start: number): WindowHealth {
  const inWindow = rows.filter((row) => Date.parse(row.startedAt) >= start);
  const calls = inWindow.filter(isCall);
  const errors = calls.filter((row) => row.outcome === 'error').length;
  // A latency below 0 is a wall clock set back during the call (the router times calls by it): not a time the call took.
  const latencies = calls
    .filter((row) => row.outcome === 'ok' && row.latencyMs !== null && row.latencyMs >= 0)
    .map((row) => row.latencyMs as number)
    .sort((a, b) => a - b);
  return {
    window,
    calls: calls.length,
    errors,
    errorRate: calls.length === 0 ? null : errors / calls.length,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    skippedWhilePaused: inWindow.filter((row) => row.skippedWhilePaused).length,
  };
}

/** Nearest-rank percentile of sorted values: the smallest value with at least `p` of them at or below it. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}
