import type { AttemptRecord, Pricing } from '../modelCall/modelCallTypes.ts';

/** An answered attempt's cost in USD at the model's price; unknown without a price or the provider's token counts. */
export function attemptCost(pricing: Pricing | undefined, inputTokens: number | undefined, outputTokens: number | undefined): number | undefined {
  if (!pricing || inputTokens === undefined || outputTokens === undefined) return undefined;
  return (inputTokens * pricing.inputPerMillion + outputTokens * pricing.outputPerMillion) / 1_000_000;
}

/**
 * What these attempts cost in all; undefined when one has no known cost though it was billed: it
 * answered (no price or no token counts), or it failed or was cancelled after text came (the
 * provider bills what it generated, and a stream cut off carries no token counts). One refused
 * before its first token cost nothing.
 */
export function costOfAttempts(attempts: readonly AttemptRecord[]): number | undefined {
  let total = 0;
  for (const attempt of attempts) {
    if (attempt.costUsd === undefined && (attempt.outcome === 'ok' || attempt.firstTokenMs !== undefined)) return undefined;
    total += attempt.costUsd ?? 0;
  }
  return total;
}
