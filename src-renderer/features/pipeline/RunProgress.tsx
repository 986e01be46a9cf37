import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { runPhaseLabels, runStatusLabels } from './statusLabels.ts';

/** The run's status, phase and how many of its files are done, as a bar and in words. */
export function RunProgress({ run }: { run: RunView }) {
  const { done, total } = run.progress;
  return (
    <div className="run-progress" data-testid="run-progress" data-status={run.status} data-phase={run.phase}>
      <div className="run-progress-line">
        <StatusBadge status={run.status} label={runStatusLabels[run.status]} testId="run-status" />
        <span data-testid="run-progress-text">
          {done} of {total} files done
        </span>
        <span className="muted" data-testid="run-phase">
          Phase: {runPhaseLabels[run.phase]}
        </span>
      </div>
      <progress className="run-progress-bar" data-testid="run-progress-bar" max={Math.max(total, 1)} value={done} aria-label={`${done} of ${total} files done`} />
      {run.checkNote === undefined ? null : (
        <p className="notice" role="status" data-testid="run-check-note">
          {run.checkNote}
        </p>
      )}
      {run.error === undefined ? null : (
        <p className={run.status === 'failed' ? 'form-error' : 'field-hint'} role={run.status === 'failed' ? 'alert' : 'status'} data-testid="run-error">
          {run.error}
        </p>
      )}
    </div>
  );
}
