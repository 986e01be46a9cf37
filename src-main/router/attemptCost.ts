import type { AttemptRecord, Pricing } from '../modelCall/modelCallTypes.ts';

/** An answered attempt's cost in USD at the model's price; unknown without a price or the provider's token counts. */
export function attemptCost(pricing: Pricing | undefined, inputTokens: number | undefined, outputTokens: number | undefined): number | undefined {
  if (!pricing || inputTokens === undefined || outputTokens === undefined) return undefined;
  return (inputTokens * pricing.inputPerMillion + outputTokens * pricing.outputPerMillion) / 1_000_000;
}

/** What these attempts cost in all; undefined when one that answered has no known cost (no price or no token counts). */
export function costOfAttempts(attempts: readonly AttemptRecord[]): number | undefined {
  let total = 0;
  for (const attempt of attempts) {
    if (attempt.outcome === 'ok' && attempt.costUsd === undefined) return undefined;
    total += attempt.costUsd ?? 0;
  }
  return total;
}
