import type { Candidate } from '../planTargets.ts';
import { nameOf, type BalanceChoice } from './BalanceChoice.ts';

/**
 * Lowest estimated price of this call first (a local model costs nothing); a target whose price
 * is unknown comes after every priced one, in the listed order.
 */
export function costOrder(candidates: readonly Candidate[], costUsd: (candidate: Candidate) => number | undefined): BalanceChoice[] {
  const scored = candidates.map((candidate, index) => ({ candidate, index, usd: costUsd(candidate) }));
  scored.sort((a, b) => (a.usd ?? Number.POSITIVE_INFINITY) - (b.usd ?? Number.POSITIVE_INFINITY) || a.index - b.index);
  return scored.map((entry, position) => {
    const own = describeUsd(entry.usd);
    if (position > 0) return { candidate: entry.candidate, reason: `least-cost: next, ${own}` };
    const runnerUp = scored[1];
    return { candidate: entry.candidate, reason: `least-cost: ${own}${runnerUp ? ` vs ${describeUsd(runnerUp.usd, '')} for ${nameOf(runnerUp.candidate)}` : ''}` };
  });
}

function describeUsd(usd: number | undefined, what = ' for this call'): string {
  if (usd === undefined) return 'price unknown';
  if (usd === 0) return 'no per-token price (local)';
  return `about $${usd < 0.01 ? usd.toPrecision(2) : usd.toFixed(2)}${what}`;
}
