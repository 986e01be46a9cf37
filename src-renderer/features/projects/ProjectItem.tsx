import { useEffect, useRef, useState } from 'react';
import type { Project } from '../../../src-shared/domain/project.ts';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { ProjectDates } from './ProjectDates.tsx';
import { ProjectDeleteConfirm } from './ProjectDeleteConfirm.tsx';
import { ProjectRenameForm } from './ProjectRenameForm.tsx';
import { useProjectsStore } from './projectsStore.ts';

type Mode = 'view' | 'rename' | 'delete';

/** One project row: name and dates, Open (its interview and spec), Runs (its generation runs), inline rename and a two-step delete. */
export function ProjectItem({ project }: { project: Project }) {
  const [mode, setMode] = useState<Mode>('view');
  const openProject = useNavigationStore((state) => state.openProject);
  const renameButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  // After rename or delete-confirm closes, focus goes back to the button that opened it.
  const returnFocusTo = useRef<Exclude<Mode, 'view'> | null>(null);

  useEffect(() => {
    if (mode !== 'view' || returnFocusTo.current === null) return;
    (returnFocusTo.current === 'rename' ? renameButton : deleteButton).current?.focus();
    returnFocusTo.current = null;
  }, [mode]);

  const close = (from: Exclude<Mode, 'view'>) => {
    returnFocusTo.current = from;
    setMode('view');
  };

  return (
    <li className="project-item" data-testid="project-item" data-project-id={project.id}>
      {mode === 'rename' ? (
        <ProjectRenameForm project={project} onClose={() => {
            close('rename');
          }} />
      ) : (
        <div className="project-row">
          <div className="project-text">
            <span className="project-name" data-testid="project-item-name">
              {project.name}
            </span>
            {project.localOnly ? (
              <span className="project-local-badge" data-testid="project-local-badge" title="None of its model calls goes to a cloud provider, whatever the privacy mode.">
                Kept on this machine
              </span>
            ) : null}
            <ProjectDates project={project} />
          </div>
          {mode === 'delete' ? (
            <ProjectDeleteConfirm project={project} onCancel={() => {
                close('delete');
              }} />
          ) : (
            <div className="project-actions">
              <button
                type="button"
                className="button"
                data-testid="project-open-button"
                aria-label={`Open ${project.name}`}
                onClick={() => {
                  openProject(project.id);
                }}
              >
                Open
              </button>
              <button
                type="button"
                className="button button-quiet"
                data-testid="project-runs-button"
                aria-label={`Generation runs of ${project.name}`}
                onClick={() => {
                  openProject(project.id, 'pipeline');
                }}
              >
                Runs
              </button>
              <button
                ref={renameButton}
                type="button"
                className="button button-quiet"
                data-testid="project-rename-button"
                aria-label={`Rename ${project.name}`}
                onClick={() => {
                  setMode('rename');
                }}
              >
                Rename
              </button>
              <LocalOnlyButton project={project} />
              <button
                ref={deleteButton}
                type="button"
                className="button button-quiet button-quiet-danger"
                data-testid="project-delete-button"
                aria-label={`Delete ${project.name}`}
                onClick={() => {
                  setMode('delete');
                }}
              >
                Delete
              </button>
            </div>
          )}
        </div>
      )}
    </li>
  );
}

/** Keeps the project on this machine, or lets it follow the privacy mode again; a failure is said next to it. */
function LocalOnlyButton({ project }: { project: Project }) {
  const setLocalOnly = useProjectsStore((state) => state.setLocalOnly);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="button button-quiet"
        data-testid="project-local-button"
        aria-pressed={project.localOnly}
        aria-label={project.localOnly ? `Let ${project.name} follow the privacy mode` : `Keep ${project.name} on this machine`}
        title={project.localOnly ? 'Its model calls follow the privacy mode again.' : 'None of its model calls will go to a cloud provider, whatever the privacy mode.'}
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setFailed(null);
          void setLocalOnly(project.id, !project.localOnly).then((error) => {
            setBusy(false);
            if (error) setFailed(error.message);
          });
        }}
      >
        {project.localOnly ? 'Allow cloud' : 'Keep local'}
      </button>
      {failed ? (
        <span className="form-error" role="alert">
          {failed}
        </span>
      ) : null}
    </>
  );
}
