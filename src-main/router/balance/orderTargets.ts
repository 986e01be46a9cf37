import type { BalanceStrategy } from '../../../src-shared/domain/balanceStrategy.ts';
import type { Candidate } from '../planTargets.ts';
import type { BalanceChoice } from './BalanceChoice.ts';
import { costOrder } from './costOrder.ts';
import { latencyOrder } from './latencyOrder.ts';
import type { TargetHealth } from './TargetHealth.ts';
import { targetKey } from './targetKey.ts';
import { weightedOrder } from './weightedOrder.ts';

export interface BalanceInput {
  strategy: BalanceStrategy;
  /** The planned targets (planTargets), in the listed order. */
  candidates: readonly Candidate[];
  health: (key: string) => TargetHealth;
  /** Average time to first token; undefined when not measured (least-latency). */
  latencyMs: (key: string) => number | undefined;
  /** Calls under way (least-latency's tie-breaker). */
  inFlight: (key: string) => number;
  /** Estimated price of this call on the candidate; 0 for a local model, undefined when unknown (least-cost). */
  costUsd: (candidate: Candidate) => number | undefined;
  /** [0, 1) (weighted). */
  random: () => number;
  /** The target key that last answered this call's sticky key (a generation run), if any. */
  stickyTo?: string | undefined;
}

/**
 * The order in which the router tries a task's targets under its strategy, each with the
 * strategy's reason and name (recorded with the attempt). Pure: the router passes in what it
 * measures. Balancing happens within each privacy tier (in Local first, cloud targets stay
 * after the local ones). Except for `ordered`, which keeps the listed order as before, a target
 * whose circuit is open or is being probed goes after the live ones, and targets that cannot be
 * used (disabled, no key) last, where the router records why they were passed over. A sticky
 * target that is healthy comes first in its tier whatever the strategy.
 */
export function orderTargets(input: BalanceInput): Candidate[] {
  if (!input.candidates.some((c) => c.cloudAfterLocal)) return orderTier(input.candidates, input);
  const tiers = [input.candidates.filter((c) => !c.cloudAfterLocal), input.candidates.filter((c) => c.cloudAfterLocal)];
  return tiers.flatMap((tier) => orderTier(tier, input));
}

function orderTier(tier: readonly Candidate[], input: BalanceInput): Candidate[] {
  const { strategy } = input;
  const label = (choice: BalanceChoice): Candidate => ({ ...choice.candidate, strategy, reason: `${choice.reason}; ${choice.candidate.reason}` });
  let ordered: Candidate[];
  if (strategy === 'ordered') {
    ordered = tier.map((candidate) => ({ ...candidate, strategy }));
  } else {
    const usable = tier.filter((c) => !c.skip && c.config);
    const live = usable.filter((c) => isLive(input.health(targetKey(c.target))));
    const out = usable.filter((c) => !live.includes(c));
    const unusable = tier.filter((c) => !usable.includes(c));
    ordered = [
      ...order(strategy, live, input).map((choice) => {
        const probe = input.health(targetKey(choice.candidate.target)) === 'probe-due';
        return label(probe ? { ...choice, reason: `${choice.reason}; probes it after its circuit's cool-down` } : choice);
      }),
      ...out.map((candidate) => label({ candidate, reason: `${strategy}: circuit open, tried only after the healthy targets` })),
      ...unusable.map((candidate) => ({ ...candidate, strategy })),
    ];
  }
  const stickyAt = input.stickyTo === undefined ? -1 : ordered.findIndex((c) => !c.skip && c.config && targetKey(c.target) === input.stickyTo);
  const sticky = ordered[stickyAt];
  if (stickyAt <= 0 || !sticky || input.health(targetKey(sticky.target)) !== 'healthy') return ordered;
  return [{ ...sticky, reason: `sticky: the earlier calls of this run went here and it is healthy (${strategy} would have tried it later)` }, ...ordered.filter((_, i) => i !== stickyAt)];
}

function order(strategy: Exclude<BalanceStrategy, 'ordered'>, live: Candidate[], input: BalanceInput): BalanceChoice[] {
  switch (strategy) {
    case 'weighted':
      return weightedOrder(live, input.random);
    case 'least-latency':
      return latencyOrder(
        live,
        (c) => input.latencyMs(targetKey(c.target)),
        (c) => input.inFlight(targetKey(c.target)),
      );
    case 'least-cost':
      return costOrder(live, input.costUsd);
    default:
      return strategy satisfies never;
  }
}

function isLive(health: TargetHealth): boolean {
  switch (health) {
    case 'healthy':
    case 'probe-due':
      return true;
    case 'open':
    case 'probing':
      return false;
    default:
      return health satisfies never;
  }
}
