import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Pricing } from '../modelCall/modelCallTypes.ts';

const pricingFileSchema = z.object({
  asOf: z.string(),
  models: z.record(z.string(), z.object({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0) })),
});

/**
 * The shipped price table (resources/pricing.json). A broken file is reported and treated as
 * empty: costs then show as unknown, nothing else stops working.
 */
export function loadPricing(path: string, onProblem: (message: string) => void = console.warn): ShippedPricing {
  try {
    const parsed = pricingFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
    return { asOf: parsed.asOf, prices: new Map(Object.entries(parsed.models)) };
  } catch (error) {
    onProblem(`The price table ${path} could not be read (${error instanceof Error ? error.message : String(error)}); costs will show as unknown.`);
    return { asOf: 'unknown', prices: new Map() };
  }
}

export interface ShippedPricing {
  asOf: string;
  prices: Map<string, Pricing>;
}
