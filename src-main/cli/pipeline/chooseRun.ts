import { AppError } from '../../../src-shared/AppError.ts';
import type { RunStatus } from '../../../src-shared/pipeline/pipelineTypes.ts';

/** What `generate` needs to know of a run to choose. */
export interface RunSummary {
  id: string;
  status: RunStatus;
  hasPlan: boolean;
}

export type RunChoice =
  /** Go on with a stopped run: its finished files are kept. */
  | { action: 'resume'; runId: string }
  /** Start a run that was planned (and maybe edited) but never started. */
  | { action: 'start'; runId: string }
  /** Plan a new run; `reason` says why the latest one is not used (none when there is none). */
  | { action: 'plan'; reason?: string };

/**
 * Which run `generate` works on: the project's latest run when it can go on (stopped, or planned
 * and not started) and was made from the spec the project has now; else a new plan. `forceNew`
 * (`--new`) always plans anew. `runs` is newest first.
 */
export function chooseRun(runs: readonly RunSummary[], options: { forceNew: boolean; sameSpec: (runId: string) => boolean }): RunChoice {
  const latest = runs[0];
  if (latest === undefined) return { action: 'plan' };
  if (options.forceNew) return { action: 'plan', reason: '--new asks for a new plan' };
  switch (latest.status) {
    case 'generating':
    case 'planning':
      throw new AppError('CONFLICT', `Run ${latest.id} is ${latest.status} in another process (the app?): wait for it, pause it there, or pass --new for another run`);
    case 'done':
      return { action: 'plan', reason: `the latest run (${latest.id}) is finished` };
    case 'planned':
    case 'paused':
    case 'failed':
    case 'cancelled':
      if (!latest.hasPlan) return { action: 'plan', reason: `the latest run (${latest.id}) has no plan` };
      if (!options.sameSpec(latest.id)) return { action: 'plan', reason: `the spec changed since run ${latest.id} was planned` };
      return latest.status === 'planned' ? { action: 'start', runId: latest.id } : { action: 'resume', runId: latest.id };
    default:
      return latest.status satisfies never;
  }
}
