import type { RepairRound, RepairView } from '../../../src-shared/sandbox/sandboxTypes.ts';

/**
 * One repair round as a line for people:
 *
 *   Round 0: Before repair: failed: 0 passed, 2 failing
 *   Round 1: app/store.py changed; app/main.py invalid (Still has a syntax error) -> passed: 2 passed, 0 failing
 */
export function describeRepairRound(round: RepairRound): string {
  const changed = round.changed.map((item) => `${item.path} ${item.outcome}${item.note ? ` (${shorten(item.note)})` : ''}`).join('; ');
  const after = round.note ?? `${round.passed} passed, ${round.failed} failing`;
  return `Round ${round.round}: ${changed ? `${changed} -> ` : ''}${after}`;
}

/** The closing line: the repair's status and why it stopped. */
export function describeRepairEnd(repair: RepairView): string {
  const last = repair.rounds.at(-1);
  const score = last ? ` (${last.passed} passed, ${last.failed} failing)` : '';
  return `Repair ${repair.id}: ${repair.status}${score}${repair.note ? `: ${repair.note}` : ''}`;
}

function shorten(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
