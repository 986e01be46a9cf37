import { maxFileAnswerChars } from '../../src-shared/pipeline/plan.ts';

/**
 * Characters of a file answer the router reads before it stops the stream. A runaway answer (a
 * model that never stops, a server that ignores max tokens) is cut here, before it fills memory
 * or the store.
 */
export const fileAnswerMaxChars = maxFileAnswerChars;

/** A count as people read it: 52,428,823. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
