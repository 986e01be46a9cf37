import { Command, Option } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import type { Project } from '../../../src-shared/domain/project.ts';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { PipelineRepository } from '../../store/PipelineRepository.ts';
import { type CliContext, usageError } from '../CliContext.ts';
import { CliExit, pausedExitCode } from '../CliExit.ts';
import { findProject } from '../findProject.ts';
import { chooseRun, type RunChoice } from '../pipeline/chooseRun.ts';
import { describePlan } from '../pipeline/describePlan.ts';
import { cliProtectedFolders } from '../cliProtectedFolders.ts';
import { checkExportTarget, describeExport, exportRun, type ExportChoice } from '../pipeline/exportRun.ts';
import { GenerationProgress } from '../pipeline/GenerationProgress.ts';
import { parseConcurrency } from '../pipeline/parseConcurrency.ts';
import { pausedMessage, resumeCommand } from '../pipeline/pausedRun.ts';
import { projectForSpec } from '../pipeline/projectForSpec.ts';
import { requireCompleteSpec } from '../pipeline/requireCompleteSpec.ts';
import { projectFlag, runStoppedError } from '../pipeline/runStoppedError.ts';
import { sameSpec } from '../pipeline/sameSpec.ts';
import { waitForRun } from '../pipeline/waitForRun.ts';

interface GenerateOptions {
  project?: string;
  spec?: string;
  out?: string;
  force?: boolean;
  zip?: boolean;
  git?: boolean;
  concurrency?: number;
  fresh?: boolean;
  new?: boolean;
}


const generateHelp = `
Which run: the project's latest run goes on when it stopped (paused, failed, cancelled, or the
process was killed) or was planned and not started yet, and its spec is the project's spec now;
files it finished are kept, not asked of the model again. Otherwise (or with --new) a new plan is
made first.

Ctrl+C (or SIGTERM) pauses: files being written finish and are kept, then the command prints
"Paused: N of M files done. Resume with: <the same command>" and exits 130 (a pause, not an
error: errors exit 1 or 2). A second one stops at once (the files in progress start over when
you go on); it exits 130 too.

With --json: one JSON object per line: "plan" (the run, "resumed"), then "file-started",
"file-done", "validation", "consistency" as they happen, then "result" (the run and the export);
an "error" line ends a run that failed, a "paused" line (message, resume) one the user paused.`;

/** `service-creator generate`: plans (or resumes) a run, writes every file, and exports it. */
export function generateCommand(context: () => CliContext): Command {
  return new Command('generate')
    .description('generate a project from its spec (or from a spec file), then export it with --out')
    .option('--project <project>', 'project id or name')
    .option('--spec <file>', 'a spec JSON file (any spec version): imported into --project, or into a new project named after the spec')
    .option('--out <dir>', 'export the finished project to this folder (with --zip, this zip file)')
    .option('--force', 'replace a non-empty --out folder (or an existing zip)')
    .option('--zip', 'export a zip instead of a folder (".zip" is added to --out when missing)')
    .addOption(new Option('--git', 'make the exported folder a git repository with one commit').conflicts('zip'))
    .addOption(new Option('--concurrency <n>', 'files written at once (1-16; default 4, or what the run used)').argParser(parseConcurrency))
    .option('--new', "plan a new run even when the latest one could go on")
    .option('--fresh', 'with --new (or when a new run is planned): ask the model again for everything, never answering from the response cache')
    .addHelpText('after', generateHelp)
    .action(async (options: GenerateOptions) => {
      if (options.project === undefined && options.spec === undefined) throw usageError('Name the project to generate (--project P) or a spec file (--spec FILE)');
      if (options.out === undefined && (options.zip || options.git || options.force)) throw usageError('--zip, --git and --force are about the export: add --out DIR');
      const exportChoice: ExportChoice | undefined = options.out !== undefined ? { out: options.out, zip: options.zip === true, force: options.force === true, git: options.git === true } : undefined;
      // Refused before any model is asked, so a long run never ends in "cannot write there".
      const ctx = context();
      if (exportChoice) await checkExportTarget(exportChoice, cliProtectedFolders(ctx));

      const project = options.spec !== undefined ? await projectForSpec(ctx, options.spec, options.project) : findProject(ctx, options.project ?? '');
      const spec = await requireCompleteSpec(ctx, project);
      const runs = await ctx.call('pipeline.list', { projectId: project.id });
      const stored = new PipelineRepository(ctx.core().db);
      const choice = chooseRun(
        runs.map((run) => ({ id: run.id, status: run.status, hasPlan: run.plan !== null })),
        { forceNew: options.new === true, sameSpec: (runId) => sameSpec(stored.run(runId).spec, spec) },
      );
      if (options.fresh && choice.action !== 'plan') throw usageError('--fresh applies to a new run: add --new');
      const run = await prepareRun(ctx, project, choice, options.concurrency, options.fresh === true);

      const progress = new GenerationProgress(ctx, run);
      progress.start();
      let final: RunView;
      try {
        const concurrency = options.concurrency !== undefined && choice.action !== 'plan' ? { concurrency: options.concurrency } : {};
        if (choice.action === 'resume') await ctx.call('pipeline.resume', { runId: run.id, ...concurrency });
        else await ctx.call('pipeline.start', { runId: run.id, ...concurrency });
        ({ run: final } = await waitForRun(ctx, run.id, {
          onPausing: () => {
            // The bar's line is cleared first, so the notice and the bar never share a line.
            progress.hideBar();
            ctx.output.notice('Pausing: the files being written are finished first (Ctrl+C again stops at once; they start over when you go on)');
          },
          onCancelling: () => ctx.output.notice('Stopping now'),
        }));
      } finally {
        progress.stop();
      }

      if (final.status !== 'done') {
        ctx.output.event('result', { run: final });
        if (final.status === 'paused' || final.status === 'cancelled') {
          const resume = resumeCommand(project.name, { ...options, json: ctx.output.json });
          const message = pausedMessage(final, resume);
          ctx.output.event('paused', { message, resume });
          ctx.output.notice(message);
          throw new CliExit(pausedExitCode, message);
        }
        throw runStoppedError(final, project.name);
      }
      const exported = exportChoice
        ? await exportRun(ctx, final.id, exportChoice).catch((error: unknown) => {
            ctx.output.event('result', { run: final });
            return rethrowExport(error, project.name);
          })
        : undefined;
      const lines = [`Generated "${project.name}": ${final.progress.done} files (run ${final.id})`, ...(exported ? [describeExport(exported)] : [])];
      ctx.output.result('result', { run: final, ...(exported ? { export: exported } : {}) }, lines.join('\n'));
      if (final.checkNote) ctx.output.notice(`${final.checkNote}; the project's own tests still run in the sandbox (service-creator test)`);
      if (exported?.leftoverBackup) ctx.output.notice(`The folder that was replaced could not be removed: delete ${exported.leftoverBackup} yourself`);
      if (!exported) ctx.output.notice(`Export it with "service-creator export ${projectFlag(project.name)} --out DIR"`);
    });
}

/** The run to work on, announced: the `plan` JSON line, or the plan / where it stands for people. */
async function prepareRun(ctx: CliContext, project: Project, choice: RunChoice, concurrency: number | undefined, fresh: boolean): Promise<RunView> {
  let run: RunView;
  if (choice.action === 'plan') {
    ctx.output.notice(choice.reason ? `Planning a new run: ${choice.reason}` : `Planning "${project.name}"...`);
    run = await ctx.call('pipeline.plan', { projectId: project.id, ...(concurrency !== undefined ? { concurrency } : {}), ...(fresh ? { fresh } : {}) });
  } else {
    run = await ctx.call('pipeline.get', { runId: choice.runId });
  }
  ctx.output.event('plan', { resumed: choice.action === 'resume', run });
  const files = run.plan?.files.length ?? 0;
  if (choice.action === 'resume') {
    ctx.output.notice(`Resuming run ${run.id}: ${run.progress.done} of ${run.progress.total} files done`);
  } else {
    ctx.output.notice(`${choice.action === 'plan' ? 'Planned' : 'Starting the planned'} run ${run.id}: ${files} file${files === 1 ? '' : 's'}`);
    if (run.plan) ctx.output.notice(describePlan(run.plan).join('\n'));
  }
  return run;
}

function rethrowExport(error: unknown, projectName: string): never {
  if (!(error instanceof AppError)) throw error;
  const again = `service-creator export ${projectFlag(projectName)} --out DIR`;
  throw new AppError(error.code, `The run is done, but the export failed: ${error.message}. Export it with "${again}".`, { cause: error });
}
