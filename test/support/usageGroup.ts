import type { UsageGroup } from '../../src-shared/domain/usage.ts';

/** A usage group for renderer tests: one call that cost nothing, with `figures` over it; `split` makes it a series (cost by day per provider). */
export function usageGroup(key: string, figures: Partial<UsageGroup> = {}, split?: string): UsageGroup {
  return {
    key,
    label: key,
    ...(split === undefined ? {} : { splitKey: split, splitLabel: split }),
    calls: 1,
    errors: 0,
    cancelled: 0,
    skipped: 0,
    cacheHits: 0,
    requests: 1,
    cacheHitRate: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    knownCostUsd: 0,
    unpricedCalls: 0,
    latencyP50Ms: null,
    latencyP95Ms: null,
    firstTokenP50Ms: null,
    ...figures,
  };
}
