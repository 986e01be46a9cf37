import { EmptyState } from '../../ui/EmptyState.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { ProjectItem } from './ProjectItem.tsx';
import { useProjectsStore } from './projectsStore.ts';

/** The projects, or what stands in for them: loading, a load error, or the empty state. */
export function ProjectList() {
  const projects = useProjectsStore((state) => state.projects);
  const status = useProjectsStore((state) => state.status);
  const loadError = useProjectsStore((state) => state.loadError);
  const load = useProjectsStore((state) => state.load);

  // Connection failures already have the banner; here they only need a short note.
  const loadErrorText =
    loadError === null ? null : connectionErrorCodes.has(loadError.code) ? 'Could not load the projects.' : loadError.message;

  if (status === 'loading') {
    return (
      <p className="muted" role="status" data-testid="projects-loading">
        Loading projects…
      </p>
    );
  }
  if (status === 'failed') {
    return (
      <div className="notice notice-error" role="alert" data-testid="projects-load-error">
        <span>{loadErrorText}</span>
        <button type="button" className="button" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <>
      {loadErrorText === null ? null : (
        <div className="notice notice-error" role="alert" data-testid="projects-load-error">
          <span>The list may be out of date. {loadErrorText}</span>
          <button type="button" className="button" onClick={() => void load()}>
            Reload
          </button>
        </div>
      )}
      {projects.length === 0 ? (
        <EmptyState title="No projects yet" testId="projects-empty">
          <p>Type a name above and press Create to start your first project.</p>
        </EmptyState>
      ) : (
        <ul className="project-list" data-testid="project-list" aria-label="Projects">
          {projects.map((project) => (
            <ProjectItem key={project.id} project={project} />
          ))}
        </ul>
      )}
    </>
  );
}
