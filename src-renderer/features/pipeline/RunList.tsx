import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { formatDateTime } from '../projects/formatDateTime.ts';
import { usePipelineStore } from './pipelineStore.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { runStatusLabels } from './statusLabels.ts';

/** The project's runs, newest first; the chosen one is marked with aria-current. */
export function RunList({ runs }: { runs: readonly RunView[] }) {
  const selectedRunId = usePipelineStore((state) => state.selectedRunId);
  const selectRun = usePipelineStore((state) => state.selectRun);
  if (runs.length === 0) return null;
  return (
    <ol className="run-list" data-testid="run-list">
      {runs.map((run) => (
        <li key={run.id}>
          <button
            type="button"
            className="run-list-item"
            data-testid="run-list-item"
            data-run-id={run.id}
            aria-current={run.id === selectedRunId ? 'true' : undefined}
            onClick={() => {
              selectRun(run.id);
            }}
          >
            <span className="run-list-date">{formatDateTime(run.createdAt)}</span>
            <span className="run-list-meta">
              <StatusBadge status={run.status} label={runStatusLabels[run.status]} />
              {run.progress.total > 0 ? (
                <span className="muted">
                  {run.progress.done}/{run.progress.total} files
                </span>
              ) : null}
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
}
