import { AppError } from '../../../src-shared/AppError.ts';
import type { Project } from '../../../src-shared/domain/project.ts';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import type { CliContext } from '../CliContext.ts';
import { projectFlag } from '../pipeline/runStoppedError.ts';

/**
 * The generation run `test` and `repair` work on: `runId` (`--run ID`) when given, else the
 * project's latest finished one. Only a finished run has every file, so anything else is
 * refused with what to do instead.
 */
export async function finishedRun(ctx: CliContext, project: Project, runId: string | undefined, verb: 'tested' | 'repaired'): Promise<RunView> {
  const runs = await ctx.call('pipeline.list', { projectId: project.id });
  const generate = `service-creator generate ${projectFlag(project.name)}`;
  if (runId === undefined) {
    const run = runs.find((candidate) => candidate.status === 'done');
    if (run) return run;
    const latest = runs[0];
    throw new AppError('NOT_FOUND', `"${project.name}" has no finished run to be ${verb}${latest ? ` (its latest, ${latest.id}, is ${latest.status})` : ''}: generate one with "${generate}"`);
  }
  const run = runs.find((candidate) => candidate.id === runId);
  if (!run) {
    const listed = runs.slice(0, 5).map((candidate) => `${candidate.id} (${candidate.status})`);
    throw new AppError('NOT_FOUND', `"${project.name}" has no run ${runId}${listed.length > 0 ? `; its runs: ${listed.join(', ')}` : ''}`);
  }
  if (run.status !== 'done') throw new AppError('CONFLICT', `Run ${run.id} is ${run.status}: only a finished run can be ${verb}; finish it with "${generate}"`);
  return run;
}
