import type { Project } from '../../src-shared/domain/project.ts';
import { ProjectRepository } from '../store/ProjectRepository.ts';
import type { CliContext } from './CliContext.ts';

/** A project by id or name (case-insensitive), or NOT_FOUND naming what was asked for. */
export function findProject(ctx: CliContext, idOrName: string): Project {
  return new ProjectRepository(ctx.core().db).find(idOrName);
}
