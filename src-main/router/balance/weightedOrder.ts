import type { Candidate } from '../planTargets.ts';
import type { BalanceChoice } from './BalanceChoice.ts';

/**
 * Draws the order by weight without replacement: the first target with probability weight/total,
 * the next among those left, and so on, so fallbacks follow the weights too. A target of weight 0
 * comes after every weighted one, in the listed order (a standby). `random` returns [0, 1).
 */
export function weightedOrder(candidates: readonly Candidate[], random: () => number): BalanceChoice[] {
  // A weight that is not a finite number of 0 or more (never from a validated routing) counts as 0: a standby.
  const left = candidates.map((candidate) => ({ candidate, weight: usableWeight(candidate.weight) }));
  const total = left.reduce((sum, entry) => sum + entry.weight, 0);
  const choices: BalanceChoice[] = [];
  for (;;) {
    const weights = left.reduce((sum, entry) => sum + entry.weight, 0);
    if (weights <= 0) break;
    let point = random() * weights;
    let index = left.findIndex((entry) => {
      point -= entry.weight;
      return entry.weight > 0 && point < 0;
    });
    if (index < 0) index = left.findLastIndex((entry) => entry.weight > 0);
    const [entry] = left.splice(index, 1);
    if (!entry) break;
    const share = `weight ${entry.weight} of ${total} (${Math.round((entry.weight / total) * 100)} %)`;
    choices.push({ candidate: entry.candidate, reason: choices.length === 0 ? `weighted: drawn with ${share}` : `weighted: next drawn, ${share}` });
  }
  // Every weight 0: no target has a share, so the listed order (said so, not "when the weighted ones fail").
  const standby = total > 0 ? 'weighted: weight 0, used only when the weighted targets fail' : 'weighted: every weight is 0, so the listed order';
  for (const entry of left) choices.push({ candidate: entry.candidate, reason: standby });
  return choices;
}

function usableWeight(weight: number | undefined): number {
  if (weight === undefined) return 1;
  return Number.isFinite(weight) && weight > 0 ? weight : 0;
}
