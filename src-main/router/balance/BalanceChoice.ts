import type { Candidate } from '../planTargets.ts';

/** A usable candidate in the place a strategy put it, with the strategy's reason in words. */
export interface BalanceChoice {
  candidate: Candidate;
  reason: string;
}

/** The candidate's name in reasons: provider/model. */
export function nameOf(candidate: Candidate): string {
  return `${candidate.target.providerId}/${candidate.target.model}`;
}
