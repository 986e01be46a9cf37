import { useState } from 'react';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { useSettingsStore } from '../settings/settingsStore.ts';
import { usePipelineStore } from './pipelineStore.ts';

/**
 * Plan: asks the model for a new run's plan; shows that it is planning, and why it failed. While
 * the response cache is on, the run can be asked afresh (no call of it answered from the cache).
 */
export function PlanButton() {
  const planning = usePipelineStore((state) => state.planning);
  const planError = usePipelineStore((state) => state.planError);
  const plan = usePipelineStore((state) => state.plan);
  const show = useNavigationStore((state) => state.show);
  const cacheOn = useSettingsStore((state) => state.settings.responseCache.enabled);
  const [fresh, setFresh] = useState(false);
  const cancelled = planError?.code === 'CANCELLED';
  return (
    <div className="pipeline-plan">
      <button type="button" className="button button-primary" data-testid="pipeline-plan" disabled={planning} aria-busy={planning} onClick={() => void plan(cacheOn && fresh)}>
        {planning ? <span className="spinner" aria-hidden="true" /> : null}
        {planning ? 'Planning…' : 'Plan a new run'}
      </button>
      {cacheOn ? (
        <label className="checkbox-field field-hint">
          <input type="checkbox" data-testid="pipeline-plan-fresh" checked={fresh} disabled={planning} onChange={(event) => setFresh(event.target.checked)} />
          Ask the model afresh, not from the response cache
        </label>
      ) : null}
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
