import { useId, useRef, type SubmitEvent } from 'react';
import { maxProjectNameLength } from '../../../src-shared/domain/project.ts';
import { DraftRestoredNote } from '../../ui/DraftRestoredNote.tsx';
import { FormError } from '../../ui/FormError.tsx';
import { isBlank, isString, useDraft } from '../../ui/useDraft.ts';
import { useProjectsStore } from './projectsStore.ts';

/**
 * Name + Create. Enter submits; the length limit shows before anything is sent, the core
 * validates the name and its message is shown inline. A name being typed survives a reload.
 */
export function ProjectCreateForm() {
  const name = useDraft('app:new-project-name', '', isString, isBlank);
  const creating = useProjectsStore((state) => state.creating);
  const createError = useProjectsStore((state) => state.createError);
  const create = useProjectsStore((state) => state.create);
  const clearCreateError = useProjectsStore((state) => state.clearCreateError);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const length = name.value.trim().length;
  const tooLong = length > maxProjectNameLength;

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (creating || tooLong) return;
    if (await create(name.value)) name.discard();
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
          value={name.value}
          placeholder="e.g. Customer portal"
          autoComplete="off"
          spellCheck={false}
          readOnly={creating}
          aria-invalid={createError !== null || tooLong}
          aria-describedby={createError === null ? hintId : `${hintId} ${errorId}`}
          onChange={(event) => {
            name.set(event.target.value);
            clearCreateError();
          }}
        />
        <button type="submit" className="button button-primary" data-testid="project-create-button" disabled={creating || tooLong}>
          Create
        </button>
      </div>
      <p className={tooLong ? 'form-error' : 'field-hint'} id={hintId} data-testid="project-name-hint">
        {tooLong
          ? `${length} characters: a project name can have at most ${maxProjectNameLength}.`
          : `Up to ${maxProjectNameLength} characters${length > maxProjectNameLength * 0.8 ? ` (${length} so far)` : ''}.`}
      </p>
      {name.restored ? <DraftRestoredNote onDiscard={name.discard} /> : null}
      <FormError id={errorId} message={createError} />
    </form>
  );
}
