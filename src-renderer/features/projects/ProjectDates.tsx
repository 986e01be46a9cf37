import type { Project } from '../../../src-shared/domain/project.ts';
import { formatDateTime } from './formatDateTime.ts';

/** "Created … · Updated …", the second part only once the project has changed since. */
export function ProjectDates({ project }: { project: Project }) {
  return (
    <span className="project-dates">
      Created <time dateTime={project.createdAt}>{formatDateTime(project.createdAt)}</time>
      {project.updatedAt === project.createdAt ? null : (
        <>
          {' · '}Updated <time dateTime={project.updatedAt}>{formatDateTime(project.updatedAt)}</time>
        </>
      )}
    </span>
  );
}
