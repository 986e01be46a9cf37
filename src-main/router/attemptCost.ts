import type { Pricing } from '../modelCall/modelCallTypes.ts';

/** An answered attempt's cost in USD at the model's price; unknown without a price or the provider's token counts. */
export function attemptCost(pricing: Pricing | undefined, inputTokens: number | undefined, outputTokens: number | undefined): number | undefined {
  if (!pricing || inputTokens === undefined || outputTokens === undefined) return undefined;
  return (inputTokens * pricing.inputPerMillion + outputTokens * pricing.outputPerMillion) / 1_000_000;
}
