import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { PlanEditor } from './PlanEditor.tsx';
import { PlanningNotice } from './PlanningNotice.tsx';
import { RunMonitor } from './RunMonitor.tsx';

/** The chosen run, by where it is: being planned, waiting for plan review, or generating and after. */
export function RunPanel({ run }: { run: RunView }) {
  if (run.status === 'planning') return <PlanningNotice />;
  if (run.plan === null) {
    return (
      <div className="notice notice-error" role="alert" data-testid="run-no-plan" data-status={run.status}>
        <span>
          <strong>{run.status === 'cancelled' ? 'Planning was cancelled.' : 'No plan was made.'}</strong> {run.error ?? ''}
        </span>
      </div>
    );
  }
  if (run.status === 'planned') return <PlanEditor run={run} plan={run.plan} />;
  return <RunMonitor run={run} />;
}
