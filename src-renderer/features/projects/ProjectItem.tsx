import { useEffect, useRef, useState } from 'react';
import type { Project } from '../../../src-shared/domain/project.ts';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { ProjectDates } from './ProjectDates.tsx';
import { ProjectDeleteConfirm } from './ProjectDeleteConfirm.tsx';
import { ProjectRenameForm } from './ProjectRenameForm.tsx';

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
