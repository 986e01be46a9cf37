import { useState } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { usePipelineStore } from './pipelineStore.ts';

/** While the model plans the run: a busy line and a way to stop it. */
export function PlanningNotice() {
  const cancel = usePipelineStore((state) => state.cancel);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="panel run-planning" data-testid="run-planning" aria-busy="true">
      <p className="run-planning-title" role="status">
        <span className="spinner" aria-hidden="true" /> The model is planning the project: its files, what each one exports and what it depends on.
      </p>
      <p className="muted">You can review and change the plan before any file is written.</p>
      <button
        type="button"
        className="button"
        data-testid="run-planning-cancel"
        disabled={cancelling}
        onClick={() => {
          setCancelling(true);
          setError(null);
          void cancel().then((failure) => {
            setCancelling(false);
            setError(failure?.message ?? null);
          });
        }}
      >
        Cancel planning
      </button>
      <FormError message={error} />
    </section>
  );
}
