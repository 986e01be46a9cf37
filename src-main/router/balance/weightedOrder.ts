import type { Candidate } from '../planTargets.ts';
import type { BalanceChoice } from './BalanceChoice.ts';

/**
 * Draws the order by weight without replacement: the first target with probability weight/total,
 * the next among those left, and so on, so fallbacks follow the weights too. A target of weight 0
 * comes after every weighted one, in the listed order (a standby). `random` returns [0, 1).
 */
export function weightedOrder(candidates: readonly Candidate[], random: () => number): BalanceChoice[] {
  const left = candidates.map((candidate) => ({ candidate, weight: candidate.weight ?? 1 }));
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
  for (const entry of left) choices.push({ candidate: entry.candidate, reason: 'weighted: weight 0, used only when the weighted targets fail' });
  return choices;
}
