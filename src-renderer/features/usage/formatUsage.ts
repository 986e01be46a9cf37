import type { Attempt } from './usageStore.ts';

export interface UsageTotals {
  /** Attempts that reached a provider (skipped targets are listed apart and not counted). */
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Calls whose cost is known (a local model's is 0), and those whose cost is not (a cloud model without a price). */
  pricedCalls: number;
  unpricedCalls: number;
}

export function usageTotals(attempts: readonly Attempt[]): UsageTotals {
  const totals: UsageTotals = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, pricedCalls: 0, unpricedCalls: 0 };
  for (const attempt of attempts) {
    if (attempt.outcome === 'skipped') continue;
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

/** US dollars with 4 decimals, "$0" for nothing (a local model); a dash when unknown. */
export function formatCost(usd: number | undefined): string {
  if (usd === undefined) return '—';
  return usd === 0 ? '$0' : `$${usd.toFixed(4)}`;
}

export function formatCount(value: number | undefined): string {
  return value === undefined ? '—' : value.toLocaleString();
}

/** "850 ms" below a second, else "1.2 s"; a dash when unknown. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
