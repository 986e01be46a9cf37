import { useState, type SubmitEvent } from 'react';
import type { SpecDraft, SpecProblem } from '../../../../src-shared/domain/serviceSpec.ts';
import { FormError } from '../../../ui/FormError.tsx';
import { useInterviewStore } from '../interviewStore.ts';
import { ProblemList } from './ProblemList.tsx';
import { SpecBasicsFields } from './SpecBasicsFields.tsx';
import { SpecBuildFields } from './SpecBuildFields.tsx';
import { formFromSpec, specFromForm, type SpecForm as SpecFormValue } from './specForm.ts';
import { SpecOperationsFields } from './SpecOperationsFields.tsx';
import { useSyncedDraft } from './useSyncedDraft.ts';
import { VendorFields } from './VendorFields.tsx';
import { OutdatedNotice } from './OutdatedNotice.tsx';

/** Every field of the draft as a form. Save checks it here first, then sends the whole draft. */
export function SpecForm({ spec }: { spec: SpecDraft }) {
  const draft = useSyncedDraft<SpecFormValue>(JSON.stringify(spec), () => formFromSpec(spec));
  const [problems, setProblems] = useState<SpecProblem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const setSpec = useInterviewStore((state) => state.setSpec);

  const change = (patch: Partial<SpecFormValue>) => {
    draft.edit((current) => ({ ...current, ...patch }));
    setSaved(false);
    setError(null);
    setProblems([]);
  };

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const result = specFromForm(draft.value);
    if (!result.ok) {
      setProblems(result.problems);
      return;
    }
    setProblems([]);
    setSaving(true);
    const failure = await setSpec(result.spec);
    setSaving(false);
    if (failure) {
      setError(failure.message);
      return;
    }
    draft.markSaved();
    setSaved(true);
  };

  return (
    <form className="spec-form" data-testid="spec-form" aria-label="Spec fields" aria-busy={saving} onSubmit={(event) => void submit(event)}>
      {draft.outdated ? <OutdatedNotice onDiscard={draft.discard} /> : null}
      <SpecBasicsFields form={draft.value} change={change} />
      <VendorFields form={draft.value} change={change} />
      <SpecOperationsFields form={draft.value} change={change} />
      <SpecBuildFields form={draft.value} change={change} />
      {problems.length > 0 ? <ProblemList title="Not saved: fix these first" problems={problems} testId="spec-form-problems" /> : null}
      <FormError message={error} />
      <div className="spec-actions">
        <button type="submit" className="button button-primary" data-testid="spec-save" disabled={saving || !draft.dirty}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {draft.dirty ? (
          <button type="button" className="button" onClick={draft.discard}>
            Discard changes
          </button>
        ) : null}
        {saved && !draft.dirty ? (
          <span className="muted" role="status" data-testid="spec-saved">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
