import { useId, useMemo, useRef, useState } from 'react';
import type { Plan } from '../../../src-shared/pipeline/plan.ts';
import { maxConcurrency, type RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { checkWholeNumber, type WholeNumberBounds } from '../../ui/checkWholeNumber.ts';
import { DraftRestoredNote } from '../../ui/DraftRestoredNote.tsx';
import { FormError } from '../../ui/FormError.tsx';
import { WholeNumberField } from '../../ui/WholeNumberField.tsx';
import { useSyncedDraft } from '../interview/spec/useSyncedDraft.ts';
import { checkDraft } from './checkDraft.ts';
import { PlanCommands } from './PlanCommands.tsx';
import { PlanFileRow } from './PlanFileRow.tsx';
import { fromDraft, newDraftFile, removeFile, renameFile, restoredDraft, toDraft } from './planDraft.ts';
import { usePipelineStore } from './pipelineStore.ts';

type Note = { kind: 'saved' | 'error'; text: string } | null;

/** How many files the model writes at once, as the contract allows. */
const concurrencyBounds: WholeNumberBounds = { min: 1, max: maxConcurrency, label: 'Files at once' };

/**
 * Review of a planned run: every file (path, kind, language, purpose, dependencies, interface)
 * and the install and test commands, editable; each edit is checked here as it is typed, with the
 * problems next to the file, and the core checks it again on Save. Start generates the saved plan.
 */
export function PlanEditor({ run, plan }: { run: RunView; plan: Plan }) {
  // Unsaved edits are kept per project and run until saved or discarded.
  const draft = useSyncedDraft(JSON.stringify(plan), () => toDraft(plan), { key: `project:${run.projectId}:plan:${run.id}`, restore: restoredDraft });
  const problems = useMemo(() => checkDraft(draft.value), [draft.value]);
  const changed = useMemo(() => JSON.stringify(fromDraft(draft.value)) !== JSON.stringify(plan), [draft.value, plan]);
  const updatePlan = usePipelineStore((state) => state.updatePlan);
  const start = usePipelineStore((state) => state.start);
  const [concurrency, setConcurrency] = useState(String(run.concurrency));
  const [note, setNote] = useState<Note>(null);
  const [working, setWorking] = useState<'save' | 'start' | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const summary = useRef<HTMLDivElement>(null);
  const startHintId = useId();
  const parsedConcurrency = checkWholeNumber(concurrency, concurrencyBounds);

  const save = async () => {
    if (problems.count > 0) {
      setNote({ kind: 'error', text: `Not saved: fix the ${problems.count === 1 ? 'problem' : `${problems.count} problems`} shown first.` });
      summary.current?.focus();
      return;
    }
    setWorking('save');
    setNote(null);
    const failure = await updatePlan(fromDraft(draft.value));
    setWorking(null);
    if (failure) {
      setNote({ kind: 'error', text: failure.message });
      return;
    }
    draft.markSaved();
    setNote({ kind: 'saved', text: 'Saved.' });
  };

  const onStart = async () => {
    if (!parsedConcurrency.ok) return;
    setWorking('start');
    setStartError(null);
    const failure = await start(parsedConcurrency.value);
    setWorking(null);
    if (failure) setStartError(failure.message);
  };

  const edit = (update: Parameters<typeof draft.edit>[0]) => {
    setNote(null);
    draft.edit(update);
  };
  const startBlocked = changed ? 'Save or discard your changes first.' : !parsedConcurrency.ok ? parsedConcurrency.problem : null;

  return (
    <section className="plan-editor" data-testid="plan-editor" aria-labelledby={`${startHintId}-title`}>
      <div className="panel-heading-row">
        <h3 className="panel-title" id={`${startHintId}-title`}>
          Review the plan
        </h3>
        <span className="muted" data-testid="plan-file-count">
          {draft.value.files.length} {draft.value.files.length === 1 ? 'file' : 'files'}
        </span>
      </div>
      <p className="panel-description">
        Nothing is written yet. Change what you like: paths, purposes, what each file depends on and what it exports (its interface, which the files using it are
        written against).
      </p>
      {draft.restored ? <DraftRestoredNote onDiscard={draft.discard} /> : null}
      {draft.outdated && working === null ? (
        <p className="notice" role="status" data-testid="plan-outdated">
          The plan changed elsewhere while you edited it. Saving replaces it with yours; Discard shows the new one.
        </p>
      ) : null}
      {problems.count > 0 ? (
        <div className="plan-problems" role="alert" tabIndex={-1} ref={summary} data-testid="plan-problems">
          <p className="plan-problems-title">
            {problems.count === 1 ? 'One problem' : `${problems.count} problems`} to fix before the plan can be saved
          </p>
          {problems.plan.length > 0 ? (
            <ul className="plan-problem-list" data-testid="plan-problems-whole">
              {problems.plan.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          ) : (
            <p className="muted">Each one is shown under its file.</p>
          )}
        </div>
      ) : null}
      <div className="table-scroll">
        <table className="data-table plan-table" data-testid="plan-table">
          <thead>
            <tr>
              <th scope="col">Path</th>
              <th scope="col">Kind, language</th>
              <th scope="col">Purpose</th>
              <th scope="col">Depends on</th>
              <th scope="col">Exports</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.value.files.map((file, index) => (
              <PlanFileRow
                key={file.key}
                file={file}
                index={index}
                problems={problems.byFile.get(file.key) ?? []}
                onChange={(update) => {
                  edit((current) => ({ ...current, files: current.files.map((entry) => (entry.key === file.key ? { ...entry, ...update } : entry)) }));
                }}
                onRename={(path) => {
                  edit((current) => renameFile(current, file.key, path));
                }}
                onRemove={() => {
                  edit((current) => removeFile(current, file.key));
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
      <div className="plan-actions">
        <button
          type="button"
          className="button"
          data-testid="plan-add-file"
          onClick={() => {
            edit((current) => ({ ...current, files: [...current.files, newDraftFile()] }));
          }}
        >
          Add a file
        </button>
      </div>
      <PlanCommands
        install={draft.value.install}
        test={draft.value.test}
        onChange={(update) => {
          edit((current) => ({ ...current, ...update }));
        }}
      />
      <div className="plan-actions">
        <button type="button" className="button" data-testid="plan-save" disabled={!changed || working !== null} onClick={() => void save()}>
          {working === 'save' ? 'Saving…' : 'Save the plan'}
        </button>
        <button
          type="button"
          className="button button-quiet"
          data-testid="plan-discard"
          disabled={!draft.dirty || working !== null}
          onClick={() => {
            setNote(null);
            draft.discard();
          }}
        >
          Discard changes
        </button>
        {note === null ? null : note.kind === 'saved' ? (
          <span className="plan-saved" role="status" data-testid="plan-saved">
            {note.text}
          </span>
        ) : null}
      </div>
      {note?.kind === 'error' ? (
        <p className="form-error" role="alert" data-testid="plan-save-error">
          {note.text}
        </p>
      ) : null}
      <div className="plan-start">
        <WholeNumberField label="Files at once" value={concurrency} onChange={setConcurrency} bounds={concurrencyBounds} testId="plan-concurrency" className="plan-concurrency" />
        <button
          type="button"
          className="button button-primary"
          data-testid="plan-start"
          disabled={startBlocked !== null || working !== null}
          aria-describedby={startBlocked === null ? undefined : startHintId}
          onClick={() => void onStart()}
        >
          {working === 'start' ? 'Starting…' : 'Start generating'}
        </button>
        {startBlocked === null ? null : (
          <span className="field-hint" id={startHintId}>
            {startBlocked}
          </span>
        )}
      </div>
      <FormError message={startError} />
    </section>
  );
}
