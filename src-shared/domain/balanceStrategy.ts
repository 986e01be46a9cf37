import { z } from 'zod';
import { taskKinds } from './provider.ts';

/**
 * How the router spreads a task's calls over its equivalent targets (two servers of one model,
 * two cloud deployments): `ordered` tries them in the listed order (the default, as before load
 * balancing existed); `weighted` draws by each target's weight; `least-latency` prefers the
 * lowest moving average of time to first token; `least-cost` the lowest estimated price.
 * Every strategy but `ordered` takes a target whose circuit is open out of the way.
 */
export const balanceStrategies = ['ordered', 'weighted', 'least-latency', 'least-cost'] as const;
export type BalanceStrategy = (typeof balanceStrategies)[number];

export const balanceStrategySchema = z.enum(balanceStrategies);

/** The strategy per task kind; a task without one is `ordered`. */
export const routingStrategiesSchema = z.partialRecord(z.enum(taskKinds), balanceStrategySchema);
export type RoutingStrategies = z.infer<typeof routingStrategiesSchema>;

/** Each strategy in words, for the routing screen and `providers routing`. */
export const balanceStrategyLabels: Record<BalanceStrategy, { label: string; description: string }> = {
  ordered: { label: 'In order', description: 'Try the first target, then the next when one fails.' },
  weighted: { label: 'Split by weight', description: 'Send each target its share of the calls, by the weights you set.' },
  'least-latency': { label: 'Fastest first', description: 'Prefer the target that has been quickest to start answering lately.' },
  'least-cost': { label: 'Cheapest first', description: 'Prefer the target with the lowest price for the call (local models cost nothing).' },
};
