import { scrubSecrets } from '../../secrets/scrubSecrets.ts';
import type { ConsistencyProblem, PipelineContext, SourceFile } from '../PipelineContext.ts';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';

/**
 * The project check where the pipeline calls it (after a layer, in each consistency round): no
 * findings when no checker is configured. When the checker itself fails (stuck, crashed) the run
 * goes on without its findings, as before the check existed (the per-file checks and the sandbox
 * still stand), and the reason is logged; a cancelled run stops.
 */
export async function runProjectCheck(context: PipelineContext, files: Iterable<SourceFile>, pending: readonly string[], signal: AbortSignal, runId?: string): Promise<ConsistencyProblem[]> {
  const check = context.validators.checkProject;
  if (check === undefined) return [];
  try {
    return await check.call(context.validators, [...files], { pending, signal, ...(runId === undefined ? {} : { runId }) });
  } catch (error) {
    if (signal.aborted || !(error instanceof ProjectCheckFailed)) throw error;
    console.warn(`[project check] ${error.reason}: ${scrubSecrets(error.message)}`);
    return [];
  }
}
