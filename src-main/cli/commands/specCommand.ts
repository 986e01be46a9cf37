import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { AppError } from '../../../src-shared/AppError.ts';
import type { CliContext } from '../CliContext.ts';
import { describeCheck, problemLines } from '../describeSpec.ts';
import { findProject } from '../findProject.ts';
import { readInputFile, specFile } from '../readInputFile.ts';
import { cliProtectedFolders } from '../cliProtectedFolders.ts';
import { writeFileAtomic } from '../writeFileAtomic.ts';

interface ProjectOptions {
  project: string;
}

interface ExportOptions extends ProjectOptions {
  out?: string;
  force?: boolean;
}

const projectOption = () => new Option('--project <project>', 'project id or name').makeOptionMandatory();

/** `service-creator spec`: the service spec a project's interview writes, as a JSON file. */
export function specCommand(context: () => CliContext): Command {
  const spec = new Command('spec').description('show, check, import and export the service spec of a project');

  spec
    .command('show')
    .description('print the spec draft as JSON, then what is still missing')
    .addOption(projectOption())
    .action(async (options: ProjectOptions) => {
      const ctx = context();
      const project = findProject(ctx, options.project);
      const view = await ctx.call('spec.get', { projectId: project.id });
      ctx.output.result('spec', { projectId: project.id, spec: view.spec, check: view.check }, JSON.stringify(view.spec, null, 2));
      ctx.output.notice(describeCheck(view.check));
    });

  spec
    .command('validate')
    .description('exit 0 when the spec is complete, else 1 listing each problem as "path: message"')
    .addOption(projectOption())
    .action(async (options: ProjectOptions) => {
      const ctx = context();
      const project = findProject(ctx, options.project);
      const { check } = await ctx.call('spec.get', { projectId: project.id });
      if (check.valid) {
        ctx.output.result('check', { projectId: project.id, ...check }, `The spec of "${project.name}" is complete.`);
        return;
      }
      ctx.output.event('check', { projectId: project.id, ...check });
      if (!ctx.output.json) ctx.io.stdout.write(`${problemLines(check).join('\n')}\n`);
      const count = check.problems.length;
      throw new AppError('INVALID_INPUT', `The spec of "${project.name}" is not complete: ${count} problem${count === 1 ? '' : 's'}`);
    });

  spec
    .command('import')
    .description('replace the spec with a spec file (older spec versions are upgraded)')
    .argument('<file>', 'a spec JSON file, as written by "spec export"')
    .addOption(projectOption())
    .action(async (file: string, options: ProjectOptions) => {
      const json = readInputFile(file, specFile);
      const ctx = context();
      const project = findProject(ctx, options.project);
      const imported = await ctx.call('spec.import', { projectId: project.id, json }).catch((error: unknown) => {
        // The core's message says what is wrong with the text; name the file it came from.
        throw error instanceof AppError && error.code === 'INVALID_INPUT' ? new AppError('INVALID_INPUT', `${file}: ${error.message}`) : error;
      });
      const upgraded = imported.migratedFrom !== undefined ? ` (upgraded from spec version ${imported.migratedFrom})` : '';
      ctx.output.result('imported', { projectId: project.id, ...imported }, `Imported ${file} into "${project.name}"${upgraded}`);
      for (const dropped of imported.dropped) ctx.output.notice(`Not carried over, asked again: ${dropped}`);
      ctx.output.notice(describeCheck(imported.check));
    });

  spec
    .command('export')
    .description('write the spec as JSON to a file, or to stdout')
    .addOption(projectOption())
    .option('--out <file>', 'write to this file (atomically) instead of stdout')
    .option('--force', 'overwrite the --out file if it exists')
    .action(async (options: ExportOptions) => {
      const ctx = context();
      const project = findProject(ctx, options.project);
      const exported = await ctx.call('spec.export', { projectId: project.id });
      const spec = JSON.parse(exported.json) as unknown;
      if (options.out === undefined) {
        if (ctx.output.json) ctx.output.result('export', { projectId: project.id, fileName: exported.fileName, spec, check: exported.check }, '');
        else ctx.io.stdout.write(exported.json);
      } else {
        writeFileAtomic(options.out, exported.json, { overwrite: options.force === true, protect: cliProtectedFolders(ctx) });
        const path = resolve(options.out);
        ctx.output.result('export', { projectId: project.id, path, check: exported.check }, `Wrote the spec of "${project.name}" to ${options.out}`);
      }
      if (!exported.check.valid) {
        ctx.output.notice(`${describeCheck(exported.check)}\n(service-creator spec validate --project ${JSON.stringify(project.name)} lists them too)`);
      }
    });

  return spec;
}
