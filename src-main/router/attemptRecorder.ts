import type { AttemptRecord, RouteRequest } from '../modelCall/modelCallTypes.ts';
import type { RouterDeps } from './routerTypes.ts';

/** What a caller fills in of an attempt's record: the rest (request id, number, task, project, run, prompt version) is the call's. */
export type AttemptPart = Omit<AttemptRecord, 'requestId' | 'attemptNo' | 'task'>;

/**
 * Records the attempts of one routed call: each is numbered in turn, carries the call's request
 * id, task, project, run and prompt version, goes into `attempts` (the result's list) and to `deps.recordAttempt`
 * (the store), and is handed back.
 */
export function attemptRecorder(requestId: string, request: RouteRequest, attempts: AttemptRecord[], deps: Pick<RouterDeps, 'recordAttempt'>): (part: AttemptPart) => AttemptRecord {
  const callOf = {
    ...(request.projectId !== undefined && { projectId: request.projectId }),
    ...(request.runId !== undefined && { runId: request.runId }),
    ...(request.promptVersion !== undefined && { promptVersion: request.promptVersion }),
  };
  return (part) => {
    const full: AttemptRecord = { requestId, attemptNo: attempts.length + 1, task: request.task, ...callOf, ...part };
    attempts.push(full);
    deps.recordAttempt(full);
    return full;
  };
}
