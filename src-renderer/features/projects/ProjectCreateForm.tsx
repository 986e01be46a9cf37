import { useId, useRef, useState, type SubmitEvent } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { useProjectsStore } from './projectsStore.ts';

/** Name + Create. Enter submits; the core validates the name and its message is shown inline. */
export function ProjectCreateForm() {
  const [name, setName] = useState('');
  const creating = useProjectsStore((state) => state.creating);
  const createError = useProjectsStore((state) => state.createError);
  const create = useProjectsStore((state) => state.create);
  const clearCreateError = useProjectsStore((state) => state.clearCreateError);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const errorId = useId();

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (creating) return;
    if (await create(name)) setName('');
    input.current?.focus();
  };

  return (
    <form className="project-create" onSubmit={(event) => void submit(event)} aria-busy={creating}>
      <label className="field-label" htmlFor={inputId}>
        New project name
      </label>
      <div className="inline-row">
        <input
          ref={input}
          id={inputId}
          className="text-input"
          type="text"
          data-testid="project-name-input"
          value={name}
          placeholder="e.g. Customer portal"
          autoComplete="off"
          spellCheck={false}
          readOnly={creating}
          aria-invalid={createError !== null}
          aria-describedby={createError === null ? undefined : errorId}
          onChange={(event) => {
            setName(event.target.value);
            clearCreateError();
          }}
        />
        <button type="submit" className="button button-primary" data-testid="project-create-button" disabled={creating}>
          Create
        </button>
      </div>
      <FormError id={errorId} message={createError} />
    </form>
  );
}
