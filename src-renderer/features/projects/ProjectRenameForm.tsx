import { useId, useState, type SubmitEvent, type KeyboardEvent } from 'react';
import type { Project } from '../../../src-shared/domain/project.ts';
import { FormError } from '../../ui/FormError.tsx';
import { useProjectsStore } from './projectsStore.ts';

export interface ProjectRenameFormProps {
  project: Project;
  onClose: () => void;
}

/** The inline rename editor of one row: Enter or Save renames, Escape or Cancel leaves it as it was. */
export function ProjectRenameForm({ project, onClose }: ProjectRenameFormProps) {
  const [draft, setDraft] = useState(project.name);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const rename = useProjectsStore((state) => state.rename);
  const inputId = useId();
  const errorId = useId();

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    if (draft.trim() === project.name) {
      onClose();
      return;
    }
    setSaving(true);
    setError(null);
    const failure = await rename(project.id, draft);
    if (failure === null) {
      onClose();
      return;
    }
    setSaving(false);
    setError(failure.message);
  };

  const cancelOnEscape = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onClose();
  };

  return (
    <form className="project-rename" onSubmit={(event) => void submit(event)} onKeyDown={cancelOnEscape} aria-busy={saving}>
      <label className="visually-hidden" htmlFor={inputId}>
        New name for {project.name}
      </label>
      <div className="inline-row">
        <input
          id={inputId}
          className="text-input"
          type="text"
          data-testid="project-rename-input"
          value={draft}
          autoFocus
          autoComplete="off"
          spellCheck={false}
          readOnly={saving}
          aria-invalid={error !== null}
          aria-describedby={error === null ? undefined : errorId}
          onFocus={(event) => {
            event.currentTarget.select();
          }}
          onChange={(event) => {
            setDraft(event.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="button button-primary" data-testid="project-rename-save" disabled={saving}>
          Save
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
      <FormError id={errorId} message={error} />
    </form>
  );
}
