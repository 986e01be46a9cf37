import type { AttemptRecord, RouteRequest, RouteResult } from '../modelCall/modelCallTypes.ts';
import { isoTime } from './isoTime.ts';
import type { Candidate } from './planTargets.ts';
import type { KeptAnswer } from './routerTypes.ts';

/**
 * A call answered from the response cache: nothing is sent, it is recorded as a call that cost 0
 * (a cache hit, with the tokens the kept answer took), and the caller hears the text as if streamed,
 * after a `restart` when an earlier target of the call had streamed text before it failed (as a live
 * attempt's text is), so the kept answer never runs on from the broken-off one.
 */
export function answerFromCache(input: {
  request: RouteRequest;
  requestId: string;
  candidate: Candidate;
  kept: KeptAnswer;
  /** Set when an earlier attempt of this call streamed text and failed: the caller hears `restart` first. */
  pendingRestart: { reason: string | undefined };
  attempts: AttemptRecord[];
  record: (partial: Omit<AttemptRecord, 'requestId' | 'attemptNo' | 'task'>) => AttemptRecord;
  now: number;
}): RouteResult {
  const { request, kept, candidate } = input;
  const { target } = candidate;
  input.record({
    startedAt: isoTime(input.now),
    ...target,
    outcome: 'ok',
    inputTokens: kept.inputTokens,
    outputTokens: kept.outputTokens,
    latencyMs: 0,
    costUsd: 0,
    cacheHit: true,
    reason: hitReason(candidate),
    ...(candidate.strategy ? { strategy: candidate.strategy } : {}),
  });
  if (input.pendingRestart.reason !== undefined) {
    request.onEvent?.({ type: 'restart', reason: input.pendingRestart.reason });
    input.pendingRestart.reason = undefined;
  }
  if (kept.text.length > 0) request.onEvent?.({ type: 'text', text: kept.text });
  return { requestId: input.requestId, text: kept.text, target, finishReason: 'stop', inputTokens: kept.inputTokens, outputTokens: kept.outputTokens, attempts: input.attempts };
}

/** A hit's reason, one string per planned candidate (plans are reused call after call): the attempts' scrub remembers it by that string. */
const hitReasons = new WeakMap<Candidate, string>();
function hitReason(candidate: Candidate): string {
  let reason = hitReasons.get(candidate);
  if (reason === undefined) {
    reason = `${candidate.reason}; answered from the response cache`;
    hitReasons.set(candidate, reason);
  }
  return reason;
}
