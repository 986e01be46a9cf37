import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import type { Project } from '../../../src-shared/domain/project.ts';
import { ProjectRepository } from '../../store/ProjectRepository.ts';
import { type CliContext, usageError } from '../CliContext.ts';
import { createProgress } from '../createProgress.ts';
import { safeTerminalText } from '../safeTerminalText.ts';
import { rawStreams } from '../terminalSafeIo.ts';

export function projectsCommand(context: () => CliContext): Command {
  const projects = new Command('projects').description('list, create, rename and delete projects');
  const find = (idOrName: string): Project => new ProjectRepository(context().core().db).find(idOrName);

  projects
    .command('list')
    .description('list projects, most recently changed first')
    .action(async () => {
      const ctx = context();
      const list = await ctx.call('projects.list');
      if (ctx.output.json) {
        for (const project of list) ctx.output.result('project', { project }, '');
        return;
      }
      if (list.length === 0) {
        ctx.output.result('projects', {}, 'No projects yet. Create one with: service-creator projects create <name>');
        return;
      }
      const width = Math.max(4, ...list.map((project) => project.name.length));
      const lines = list.map((project) => `${project.name.padEnd(width)}  ${project.id}  ${project.updatedAt}${project.localOnly ? '  kept on this machine' : ''}`);
      ctx.output.result('projects', {}, [`${'NAME'.padEnd(width)}  ID${' '.repeat(34)}  UPDATED`, ...lines].join('\n'));
    });

  projects
    .command('create')
    .description('create a project')
    .argument('<name>', 'project name (unique, case-insensitive)')
    .action(async (name: string) => {
      const ctx = context();
      const project = await ctx.call('projects.create', { name });
      ctx.output.result('project', { project }, `Created project "${project.name}" (${project.id})`);
    });

  projects
    .command('rename')
    .description('rename a project')
    .argument('<project>', 'project id or current name')
    .argument('<new-name>', 'the new name')
    .action(async (idOrName: string, name: string) => {
      const ctx = context();
      const before = find(idOrName);
      const project = await ctx.call('projects.rename', { id: before.id, name });
      ctx.output.result('project', { project }, `Renamed "${before.name}" to "${project.name}"`);
    });

  projects
    .command('local-only')
    .description('keep a project on this machine: none of its model calls goes to a cloud provider, whatever the privacy mode')
    .argument('<project>', 'project id or name')
    .argument('<state>', 'on or off')
    .action(async (idOrName: string, state: string) => {
      const ctx = context();
      if (state !== 'on' && state !== 'off') throw usageError(`Say on or off, not "${state.slice(0, 20)}"`);
      const project = await ctx.call('projects.setLocalOnly', { id: find(idOrName).id, localOnly: state === 'on' });
      ctx.output.result(
        'project',
        { project },
        project.localOnly
          ? `"${project.name}" is kept on this machine: its interview, plan, files and fixes go to local models only.`
          : `"${project.name}" follows the privacy mode again.`,
      );
    });

  projects
    .command('delete')
    .description('delete one or more projects')
    .argument('<projects...>', 'project ids or names')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (idsOrNames: string[], options: { yes?: boolean }) => {
      const ctx = context();
      const targets = [...new Map(idsOrNames.map((value) => find(value)).map((project) => [project.id, project])).values()];
      if (!options.yes) await confirm(ctx, targets);
      const progress = createProgress(ctx.output, ctx.io, 'Deleting', targets.length);
      try {
        for (const project of targets) {
          await ctx.call('projects.delete', { id: project.id });
          progress.tick(project.name);
          ctx.output.event('deleted', { id: project.id, name: project.name });
        }
      } finally {
        progress.done();
      }
      ctx.output.result(
        'result',
        { deleted: targets.map((project) => project.id) },
        targets.length === 1 ? `Deleted project "${targets[0]?.name}"` : `Deleted ${targets.length} projects`,
      );
    });

  return projects;
}

async function confirm(ctx: CliContext, targets: Project[]): Promise<void> {
  if (ctx.output.json || ctx.io.stdin.isTTY !== true) {
    throw usageError('Deleting needs confirmation: add --yes');
  }
  // The prompt's line editor writes raw (its own escapes): the names are escaped here.
  const names = safeTerminalText(targets.map((project) => `"${project.name}"`).join(', '));
  const prompt = createInterface({ input: ctx.io.stdin, output: rawStreams(ctx.io).stderr });
  try {
    // End of input (a closed pipe, Ctrl+D) counts as "no", never as a hang or a crash.
    const closed = new Promise<string>((resolve) => prompt.once('close', () => resolve('')));
    const answer = await Promise.race([prompt.question(`Delete ${names}? This cannot be undone. [y/N] `), closed]).catch(() => '');
    if (!/^y(es)?$/i.test(answer.trim())) throw usageError('Nothing deleted');
  } finally {
    prompt.close();
  }
}
