import { Command, Option } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import type { CliContext } from '../CliContext.ts';
import { findProject } from '../findProject.ts';
import { describeExport, exportRun } from '../pipeline/exportRun.ts';
import { projectFlag } from '../pipeline/runStoppedError.ts';

interface ExportOptions {
  project: string;
  out: string;
  zip?: boolean;
  force?: boolean;
  git?: boolean;
  run?: string;
}

/** `service-creator export`: a finished run's files and provenance to a folder or a zip. */
export function exportCommand(context: () => CliContext): Command {
  return new Command('export')
    .description("write a project's latest finished run (or --run ID) to a folder or a zip, with its provenance")
    .requiredOption('--project <project>', 'project id or name')
    .requiredOption('--out <dir>', 'the folder to create (with --zip, the zip file; ".zip" is added when missing)')
    .option('--zip', 'write a zip instead of a folder')
    .option('--force', 'replace a non-empty folder (or an existing zip)')
    .addOption(new Option('--git', 'make the folder a git repository with one commit').conflicts('zip'))
    .option('--run <id>', 'export this run instead of the latest finished one')
    .action(async (options: ExportOptions) => {
      const ctx = context();
      const project = findProject(ctx, options.project);
      const runs = await ctx.call('pipeline.list', { projectId: project.id });
      const run = options.run !== undefined ? runs.find((candidate) => candidate.id === options.run) : runs.find((candidate) => candidate.status === 'done');
      if (!run) {
        throw new AppError(
          'NOT_FOUND',
          options.run !== undefined
            ? `"${project.name}" has no run ${options.run}${runs.length > 0 ? `; its runs: ${runs.slice(0, 5).map((candidate) => `${candidate.id} (${candidate.status})`).join(', ')}` : ''}`
            : `"${project.name}" has no finished run to export: generate one with "service-creator generate ${projectFlag(project.name)}"`,
        );
      }
      const summary = await exportRun(ctx, run.id, { out: options.out, zip: options.zip === true, force: options.force === true, git: options.git === true });
      ctx.output.result('export', { projectId: project.id, runId: run.id, ...summary }, describeExport(summary));
      if (summary.leftoverBackup) ctx.output.notice(`The folder that was replaced could not be removed: delete ${summary.leftoverBackup} yourself`);
    });
}
