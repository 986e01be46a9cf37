import { scrubSecrets } from '../../secrets/scrubSecrets.ts';
import type { ConsistencyProblem, PipelineContext, SourceFile } from '../PipelineContext.ts';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';

/** Runs whose check could not run in this process (and so carry a note to clear once one does). */
const noted = new Set<string>();

/**
 * The project check where the pipeline calls it (after a layer, in each consistency round): no
 * findings when no checker is configured. When the checker itself fails (stuck, crashed) the run
 * goes on without its findings, as before the check existed (the per-file checks and the sandbox
 * still stand), and the reason is logged and kept with the run (its page and the CLI say so); a
 * cancelled run stops.
 */
export async function runProjectCheck(context: PipelineContext, files: Iterable<SourceFile>, pending: readonly string[], signal: AbortSignal, runId?: string): Promise<ConsistencyProblem[]> {
  const check = context.validators.checkProject;
  if (check === undefined) return [];
  try {
    const findings = await check.call(context.validators, [...files], { pending, signal, ...(runId === undefined ? {} : { runId }) });
    // A later check that ran covers the files an earlier failed one missed: the note goes (a run
    // started or resumed begins without one: PipelineService.start).
    if (runId !== undefined && noted.delete(runId)) {
      context.runs.setCheckNote(runId, null);
      context.emit({ runId, kind: 'changed' });
    }
    return findings;
  } catch (error) {
    if (signal.aborted || !(error instanceof ProjectCheckFailed)) throw error;
    const note = scrubSecrets(error.message);
    console.warn(`[project check] ${error.reason}: ${note}`);
    // Said with the run (the page and the CLI show it): the type check's findings are missing, not zero.
    if (runId !== undefined) {
      noted.add(runId);
      context.runs.setCheckNote(runId, `The type check could not run (${describeReason(error.reason)}): ${note}`);
      context.emit({ runId, kind: 'changed' });
    }
    return [];
  }
}

function describeReason(reason: ProjectCheckFailed['reason']): string {
  switch (reason) {
    case 'unavailable':
      return 'not available here';
    case 'timeout':
      return 'it took too long';
    default:
      return 'it stopped';
  }
}
