import { useNavigationStore } from '../navigation/navigationStore.ts';
import { usePipelineStore } from './pipelineStore.ts';

/** Plan: asks the model for a new run's plan; shows that it is planning, and why it failed. */
export function PlanButton() {
  const planning = usePipelineStore((state) => state.planning);
  const planError = usePipelineStore((state) => state.planError);
  const plan = usePipelineStore((state) => state.plan);
  const show = useNavigationStore((state) => state.show);
  const cancelled = planError?.code === 'CANCELLED';
  return (
    <div className="pipeline-plan">
      <button type="button" className="button button-primary" data-testid="pipeline-plan" disabled={planning} aria-busy={planning} onClick={() => void plan()}>
        {planning ? <span className="spinner" aria-hidden="true" /> : null}
        {planning ? 'Planning…' : 'Plan a new run'}
      </button>
      {planning ? (
        <p className="field-hint" role="status" data-testid="pipeline-planning">
          The model is planning the project from its spec.
        </p>
      ) : null}
      {planError === null ? null : (
        <p className={cancelled ? 'field-hint' : 'form-error'} role={cancelled ? 'status' : 'alert'} data-testid="pipeline-plan-error" data-code={planError.code}>
          {cancelled ? 'Planning stopped.' : planError.message}
          {planError.code === 'BUDGET_EXCEEDED' ? (
            <>
              {' '}
              <button type="button" className="link-button" data-testid="pipeline-open-usage" onClick={() => show('usage')}>
                Open Usage
              </button>
            </>
          ) : null}
        </p>
      )}
    </div>
  );
}
