import { useId, useState } from 'react';
import type { SpecDraft, SpecProblem } from '../../../../src-shared/domain/serviceSpec.ts';
import { FormError } from '../../../ui/FormError.tsx';
import { useInterviewStore } from '../interviewStore.ts';
import { OutdatedNotice } from './OutdatedNotice.tsx';
import { parseSpecJson } from './parseSpecJson.ts';
import { ProblemList } from './ProblemList.tsx';
import { useSyncedDraft } from './useSyncedDraft.ts';

const pretty = (spec: SpecDraft) => `${JSON.stringify(spec, null, 2)}\n`;

/** The draft as JSON. Apply parses and checks it here and sends it only when it is a valid draft. */
export function SpecJsonEditor({ spec }: { spec: SpecDraft }) {
  const text = pretty(spec);
  const draft = useSyncedDraft(text, () => text);
  const [syntax, setSyntax] = useState<string | null>(null);
  const [problems, setProblems] = useState<SpecProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  const setSpec = useInterviewStore((state) => state.setSpec);
  const textId = useId();

  const apply = async () => {
    const parsed = parseSpecJson(draft.value);
    setError(null);
    if (!parsed.ok) {
      setSyntax(parsed.syntax ?? null);
      setProblems(parsed.problems);
      return;
    }
    setSyntax(null);
    setProblems([]);
    setApplying(true);
    const failure = await setSpec(parsed.spec);
    setApplying(false);
    if (failure) setError(failure.message);
    else draft.markSaved();
  };

  return (
    <div className="spec-json" data-testid="spec-json-editor">
      {draft.outdated ? <OutdatedNotice onDiscard={draft.discard} /> : null}
      <label className="field-label" htmlFor={textId}>
        Spec JSON
      </label>
      <textarea
        id={textId}
        className="text-input text-area spec-json-text"
        data-testid="spec-json"
        value={draft.value}
        rows={18}
        spellCheck={false}
        aria-invalid={syntax !== null || problems.length > 0}
        onChange={(event) => {
          const value = event.target.value;
          draft.edit(() => value);
          setSyntax(null);
          setProblems([]);
          setError(null);
        }}
      />
      {syntax === null ? null : (
        <p className="form-error" role="alert" data-testid="spec-json-error">
          {syntax}
        </p>
      )}
      {problems.length > 0 ? <ProblemList title="Not applied: the draft is not valid" problems={problems} testId="spec-json-problems" /> : null}
      <FormError message={error} />
      <div className="spec-actions">
        <button type="button" className="button button-primary" data-testid="spec-json-apply" disabled={applying || !draft.dirty} onClick={() => void apply()}>
          {applying ? 'Applying…' : 'Apply'}
        </button>
        {draft.dirty ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              draft.discard();
              setSyntax(null);
              setProblems([]);
            }}
          >
            Discard changes
          </button>
        ) : null}
      </div>
    </div>
  );
}
