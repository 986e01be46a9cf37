import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import type { CliContext } from '../CliContext.ts';
import { cliProtectedFolders } from '../cliProtectedFolders.ts';
import { findProject } from '../findProject.ts';
import { describePlan } from '../pipeline/describePlan.ts';
import { parseConcurrency } from '../pipeline/parseConcurrency.ts';
import { requireCompleteSpec } from '../pipeline/requireCompleteSpec.ts';
import { projectFlag } from '../pipeline/runStoppedError.ts';
import { parseJsonFile, planFile, readInputFile } from '../readInputFile.ts';
import { refuseProtectedTarget } from '../../paths/refuseProtectedTarget.ts';
import { writeFileAtomic } from '../writeFileAtomic.ts';

interface PlanOptions {
  project: string;
  concurrency?: number;
  set?: string;
  out?: string;
  force?: boolean;
}

const planHelp = `
A plan lists every file of the project to generate: its path, kind (source, test, config, doc),
purpose, the files it uses (dependsOn) and its public interface (exports), plus the install and
test commands. The model makes it from the spec; review it, then "generate --project P" writes
the files. To change it, write it to a file (--out plan.json), edit it, and load it back with
--set plan.json: the edit is checked like the model's plan (paths inside the project, no
cycles, at least one test file).`;

/** `service-creator plan`: a new generation run planned from a project's spec, or an edit of its plan. */
export function planCommand(context: () => CliContext): Command {
  return new Command('plan')
    .description("plan a generation run from a project's spec (or replace the plan of its planned run with --set)")
    .requiredOption('--project <project>', 'project id or name')
    .addOption(new Option('--concurrency <n>', 'files written at once when the run starts (1-16, default 4)').argParser(parseConcurrency).conflicts('set'))
    .option('--set <file>', "replace the plan of the project's latest planned run with this JSON file")
    .option('--out <file>', 'also write the plan as JSON to this file (to edit and load with --set)')
    .option('--force', 'overwrite the --out file if it exists')
    .addHelpText('after', planHelp)
    .action(async (options: PlanOptions) => {
      // Bad files are reported before anything is opened or asked.
      const edited = options.set !== undefined ? parseJsonFile(readInputFile(options.set, planFile), options.set) : undefined;
      const ctx = context();
      const protect = cliProtectedFolders(ctx);
      if (options.out !== undefined) refuseProtectedTarget(options.out, protect);
      if (options.out !== undefined && !options.force && existsSync(options.out)) throw new AppError('TARGET_NOT_EMPTY', `${options.out} exists already: add --force to overwrite it`);
      const project = findProject(ctx, options.project);
      let run: RunView;
      if (options.set !== undefined) {
        run = await replacePlan(ctx, project.id, project.name, options.set, edited);
      } else {
        await requireCompleteSpec(ctx, project);
        ctx.output.notice(`Planning "${project.name}"...`);
        run = await ctx.call('pipeline.plan', { projectId: project.id, ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}) });
      }
      if (options.out !== undefined) writeFileAtomic(options.out, `${JSON.stringify(run.plan, null, 2)}\n`, { overwrite: options.force === true, protect });
      const files = run.plan?.files.length ?? 0;
      const header = `${options.set !== undefined ? 'Updated the plan of' : 'Planned'} run ${run.id} of "${project.name}": ${files} file${files === 1 ? '' : 's'}`;
      ctx.output.result('plan', { run }, [header, ...(run.plan ? describePlan(run.plan) : [])].join('\n'));
      if (options.out !== undefined) ctx.output.notice(`Wrote the plan to ${options.out}`);
      ctx.output.notice(`Next: "service-creator generate ${projectFlag(project.name)}" writes the files (add --out DIR to export them).`);
    });
}

async function replacePlan(ctx: CliContext, projectId: string, projectName: string, file: string, plan: unknown): Promise<RunView> {
  const planned = (await ctx.call('pipeline.list', { projectId })).find((run) => run.status === 'planned');
  if (!planned) throw new AppError('NOT_FOUND', `"${projectName}" has no planned run whose plan could change: make one with "service-creator plan ${projectFlag(projectName)}"`);
  return ctx.call('pipeline.updatePlan', { runId: planned.id, plan }).catch((error: unknown) => {
    // The core's message says what is wrong with the plan; name the file it came from.
    throw error instanceof AppError && error.code === 'INVALID_INPUT' ? new AppError('INVALID_INPUT', `${file}: ${error.message}`) : error;
  });
}
