import type { Attempt } from './usageStore.ts';

export interface UsageTotals {
  /** Attempts that reached a provider (not the skipped ones). */
  calls: number;
  skipped: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Calls whose cost is known, and those whose cost is not (no price for the model, or a local model). */
  pricedCalls: number;
  unpricedCalls: number;
}

export function usageTotals(attempts: readonly Attempt[]): UsageTotals {
  const totals: UsageTotals = { calls: 0, skipped: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, pricedCalls: 0, unpricedCalls: 0 };
  for (const attempt of attempts) {
    if (attempt.outcome === 'skipped') {
      totals.skipped++;
      continue;
    }
    totals.calls++;
    totals.inputTokens += attempt.inputTokens ?? 0;
    totals.outputTokens += attempt.outputTokens ?? 0;
    if (attempt.costUsd === undefined) totals.unpricedCalls++;
    else {
      totals.pricedCalls++;
      totals.costUsd += attempt.costUsd;
    }
  }
  return totals;
}

/** US dollars with 4 decimals; a dash when unknown. */
export function formatCost(usd: number | undefined): string {
  return usd === undefined ? '—' : `$${usd.toFixed(4)}`;
}

export function formatCount(value: number | undefined): string {
  return value === undefined ? '—' : value.toLocaleString();
}

/** "850 ms" below a second, else "1.2 s"; a dash when unknown. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
