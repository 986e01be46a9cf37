import { useRef, useState, type KeyboardEvent } from 'react';
import type { Project } from '../../../src-shared/domain/project.ts';
import { FormError } from '../../ui/FormError.tsx';
import { useProjectsStore } from './projectsStore.ts';

export interface ProjectDeleteConfirmProps {
  project: Project;
  onCancel: () => void;
}

/** The second step of deleting: says what will happen and asks again. Focus starts on Cancel. */
export function ProjectDeleteConfirm({ project, onCancel }: ProjectDeleteConfirmProps) {
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = useProjectsStore((state) => state.remove);
  const group = useRef<HTMLDivElement>(null);

  const confirm = async () => {
    setDeleting(true);
    setError(null);
    const landing = focusAfterDelete(group.current);
    const failure = await remove(project.id);
    // On success the row disappears with the project: no state left to update, only focus to move.
    if (failure === null) {
      landing?.focus();
      return;
    }
    setDeleting(false);
    setError(failure.message);
  };

  const cancelOnEscape = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  };

  return (
    <div ref={group} className="project-delete" role="group" aria-label={`Delete ${project.name}`} onKeyDown={cancelOnEscape}>
      <div className="project-delete-row">
        <span className="project-delete-question">Delete this project? This cannot be undone.</span>
        <button
          type="button"
          className="button button-danger"
          data-testid="project-delete-confirm"
          disabled={deleting}
          onClick={() => void confirm()}
        >
          Delete
        </button>
        <button type="button" className="button" autoFocus onClick={onCancel}>
          Cancel
        </button>
      </div>
      <FormError message={error} />
    </div>
  );
}

/** Where focus goes once this row is gone: the next (else previous) row's first button, else the name field. */
function focusAfterDelete(inside: HTMLElement | null): HTMLElement | null {
  const row = inside?.closest('li');
  const neighbour = row?.nextElementSibling ?? row?.previousElementSibling;
  return neighbour?.querySelector('button') ?? document.querySelector<HTMLElement>('.project-create input');
}
