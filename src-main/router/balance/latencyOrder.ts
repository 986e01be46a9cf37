import type { Candidate } from '../planTargets.ts';
import { nameOf, type BalanceChoice } from './BalanceChoice.ts';

/**
 * Lowest average time to first token first. A target not measured yet counts as 0 ms, so it is
 * tried and measured; equal averages go to the target with fewer calls under way, then the
 * listed order.
 */
export function latencyOrder(
  candidates: readonly Candidate[],
  latencyMs: (candidate: Candidate) => number | undefined,
  inFlight: (candidate: Candidate) => number,
): BalanceChoice[] {
  const scored = candidates.map((candidate, index) => ({ candidate, index, ms: latencyMs(candidate), busy: inFlight(candidate) }));
  scored.sort((a, b) => (a.ms ?? 0) - (b.ms ?? 0) || a.busy - b.busy || a.index - b.index);
  return scored.map((entry, position) => {
    const runnerUp = scored[position + 1];
    const own = describe(entry.ms, entry.busy);
    if (position > 0) return { candidate: entry.candidate, reason: `least-latency: next, ${own}` };
    const versus = runnerUp ? ` vs ${describe(runnerUp.ms, runnerUp.busy)} for ${nameOf(runnerUp.candidate)}` : '';
    return { candidate: entry.candidate, reason: `least-latency: ${own}${versus}` };
  });
}

function describe(ms: number | undefined, busy: number): string {
  const speed = ms === undefined ? 'not measured yet' : `${Math.round(ms)} ms average to first token`;
  return busy > 0 ? `${speed}, ${busy} call${busy === 1 ? '' : 's'} under way` : speed;
}
