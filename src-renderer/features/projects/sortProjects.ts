import type { Project } from '../../../src-shared/domain/project.ts';

/** The core's order: most recently updated first, then by name ignoring case. */
export function sortProjects(projects: readonly Project[]): Project[] {
  return [...projects].sort(
    (a, b) =>
      (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0) ||
      a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
  );
}
