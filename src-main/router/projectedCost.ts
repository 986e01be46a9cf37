import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { Pricing } from '../modelCall/modelCallTypes.ts';

/**
 * Answer tokens assumed when a call names no cap: what most services default to. A budget counts
 * a call at this cap, so a call without one may be refused where a capped one would fit.
 */
export const uncappedAnswerTokens = 4096;

/**
 * The most a call can cost on a target, before it is sent: the prompt's counted tokens and the
 * answer's cap at the model's price. A local target costs 0; undefined when no price is known.
 */
export function projectedCost(config: ProviderConfig, price: Pricing | undefined, promptTokens: number, maxTokens: number | undefined): number | undefined {
  if (config.location === 'local') return 0;
  if (!price) return undefined;
  return (promptTokens * price.inputPerMillion + (maxTokens ?? uncappedAnswerTokens) * price.outputPerMillion) / 1_000_000;
}
