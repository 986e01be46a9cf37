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
    const own = describeUsd(entry.usd, entry.candidate);
    if (position > 0) return { candidate: entry.candidate, reason: `least-cost: next, ${own}` };
    const runnerUp = scored[1];
    return { candidate: entry.candidate, reason: `least-cost: ${own}${runnerUp ? ` vs ${describeUsd(runnerUp.usd, runnerUp.candidate, '')} for ${nameOf(runnerUp.candidate)}` : ''}` };
  });
}

function describeUsd(usd: number | undefined, candidate: Candidate, what = ' for this call'): string {
  if (usd === undefined) return 'price unknown';
  // Only a model on this machine is "local"; a cloud model priced at 0 is free, but still cloud.
  if (usd === 0) return candidate.config?.location === 'local' ? 'no per-token price (local)' : 'free (priced at $0)';
  // toPrecision writes a tiny amount in exponent form ("1.0e-7"): below a millionth of a dollar, say so.
  if (usd < 0.000_001) return `less than $0.000001${what}`;
  return `about $${usd < 0.01 ? usd.toPrecision(2) : usd.toFixed(2)}${what}`;
}
