import type { AttemptRecord, RouteRequest, RouteResult } from '../modelCall/modelCallTypes.ts';
import { answerFromCache } from './answerFromCache.ts';
import { attemptRecorder } from './attemptRecorder.ts';
import type { Candidate } from './planTargets.ts';
import { requestId as newRequestId } from './requestId.ts';
import type { CallControls, RouterDeps } from './routerTypes.ts';

/**
 * The look at the response cache a call's walk of its targets would make first, made before the
 * walk is set up: when the first planned target is one the walk would try (not skipped, configured,
 * its key not rejected) and the cache holds its answer, the call is answered here, as the walk
 * would answer it (answerFromCache: one attempt, a hit that cost 0), without the walk's deadline,
 * retry state and per-target closures, which cost more than the rest of a hit. Otherwise the walk
 * goes on: `missed` when the cache was asked and had nothing (the walk does not ask again, so a
 * miss is counted once), `walk` when it was not asked. `deadlineMs`: the call's overall deadline;
 * one with no time at all (under 1 ms) is the walk's to refuse.
 */
export function hitOnFirstTarget(input: {
  request: RouteRequest;
  candidates: readonly Candidate[];
  controls: CallControls;
  deadlineMs: number;
  keyRejected: ReadonlySet<string>;
  deps: Pick<RouterDeps, 'recordAttempt'>;
  now: number;
}): RouteResult | 'missed' | 'walk' {
  const { request, controls } = input;
  const first = input.candidates[0];
  if (first === undefined || first.skip || !first.config || input.keyRejected.has(first.config.id) || !(input.deadlineMs >= 1)) return 'walk';
  const kept = controls.cached(first.target, request);
  if (!kept) return 'missed';
  const requestId = newRequestId();
  const attempts: AttemptRecord[] = [];
  const record = attemptRecorder(requestId, request, attempts, input.deps);
  return answerFromCache({ request, requestId, candidate: first, kept, pendingRestart: { reason: undefined }, attempts, record, now: input.now });
}
