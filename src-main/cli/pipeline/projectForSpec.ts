import { AppError } from '../../../src-shared/AppError.ts';
import { migrateSpec } from '../../../src-shared/domain/migrateSpec.ts';
import type { Project } from '../../../src-shared/domain/project.ts';
import type { SpecDraft } from '../../../src-shared/domain/serviceSpec.ts';
import type { CliContext } from '../CliContext.ts';
import { findProject } from '../findProject.ts';
import { parseJsonFile, readInputFile, specFile } from '../readInputFile.ts';
import { projectNameForSpec } from './projectNameForSpec.ts';
import { projectFlag } from './runStoppedError.ts';
import { sameSpec } from './sameSpec.ts';

/**
 * `generate --spec FILE`: the project the spec file is generated in. With `--project` the spec is
 * imported into that project. Without it, a project named after the spec (or the file) is
 * created and the spec imported; when that project exists already with the same spec it is used
 * as it is (running the same command again resumes), and with another spec it is refused rather
 * than overwritten.
 */
export async function projectForSpec(ctx: CliContext, file: string, projectOption: string | undefined): Promise<Project> {
  const json = readInputFile(file, specFile);
  const named = (error: unknown): never => {
    throw error instanceof AppError && error.code === 'INVALID_INPUT' ? new AppError('INVALID_INPUT', `${file}: ${error.message}`) : error;
  };
  let project: Project;
  if (projectOption !== undefined) {
    project = findProject(ctx, projectOption);
  } else {
    const parsed = parseJsonFile(json, file);
    let spec: SpecDraft;
    try {
      spec = migrateSpec(parsed).spec;
    } catch (error) {
      return named(error);
    }
    const name = projectNameForSpec(spec, file);
    if (name === undefined) throw new AppError('INVALID_INPUT', `${file}: the spec has no name and the file name makes no project name; add --project to choose a project`);
    const existing = findExisting(ctx, name);
    if (existing) {
      const current = await ctx.call('spec.get', { projectId: existing.id });
      if (!sameSpec(current.spec, { ...spec, name: spec.name ?? existing.name })) {
        throw new AppError('CONFLICT', `A project named "${existing.name}" exists already with another spec: add ${projectFlag(existing.name)} to replace its spec with ${file}, or change the spec's name`);
      }
      ctx.output.notice(`Using the project "${existing.name}", which has this spec already`);
      return existing;
    }
    project = await ctx.call('projects.create', { name });
    ctx.output.notice(`Created the project "${project.name}" for ${file}`);
  }
  const imported = await ctx.call('spec.import', { projectId: project.id, json }).catch(named);
  if (imported.migratedFrom !== undefined) ctx.output.notice(`Imported ${file} (upgraded from spec version ${imported.migratedFrom})`);
  for (const dropped of imported.dropped) ctx.output.notice(`Not carried over from ${file}: ${dropped}`);
  return project;
}

function findExisting(ctx: CliContext, name: string): Project | undefined {
  try {
    return findProject(ctx, name);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}
