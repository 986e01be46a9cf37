import { useEffect } from 'react';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { useProjectsStore } from '../projects/projectsStore.ts';
import { PlanButton } from './PlanButton.tsx';
import { RunList } from './RunList.tsx';
import { RunPanel } from './RunPanel.tsx';
import { usePipelineStore } from './pipelineStore.ts';
import './pipeline.css';

/** One project's generation: its runs on the left, the chosen run (plan review, progress, files, export) on the right. */
export function PipelineView({ projectId }: { projectId: string }) {
  useEffect(() => usePipelineStore.getState().open(projectId), [projectId]);
  const project = useProjectsStore((state) => state.projects.find((candidate) => candidate.id === projectId));
  const projectsReady = useProjectsStore((state) => state.status === 'ready');
  const open = usePipelineStore((state) => state.projectId === projectId);
  const runs = usePipelineStore((state) => state.runs);
  const status = usePipelineStore((state) => state.status);
  const loadError = usePipelineStore((state) => state.loadError);
  const load = usePipelineStore((state) => state.load);
  const selected = usePipelineStore((state) => state.runs.find((run) => run.id === state.selectedRunId) ?? null);
  const closeProject = useNavigationStore((state) => state.closeProject);
  const openProject = useNavigationStore((state) => state.openProject);
  const missing = loadError?.code === 'NOT_FOUND' || (projectsReady && project === undefined);

  return (
    <div className="view pipeline-view" data-testid="pipeline-view" data-project-id={projectId}>
      <div className="pipeline-topbar">
        <button type="button" className="button button-quiet" data-testid="pipeline-back" onClick={closeProject}>
          ← Back to projects
        </button>
        <button
          type="button"
          className="button button-quiet"
          data-testid="pipeline-open-interview"
          onClick={() => {
            openProject(projectId, 'interview');
          }}
        >
          Interview and spec
        </button>
      </div>
      <header className="view-header">
        <h2 className="view-title" data-testid="pipeline-project-name">
          {project?.name ?? 'Project'}
        </h2>
        <p className="view-description">Plan the project from its spec, review the plan, then watch every file being written and checked.</p>
      </header>
      {missing ? (
        <EmptyState title="This project no longer exists" testId="pipeline-missing">
          <p>It was deleted, perhaps from another window or the command line.</p>
        </EmptyState>
      ) : !open || (status === 'loading' && loadError === null) ? (
        <p className="muted" role="status">
          Loading the runs…
        </p>
      ) : status === 'failed' && loadError !== null ? (
        <div className="notice notice-error" role="alert" data-testid="pipeline-load-error">
          <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the runs.' : loadError.message}</span>
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      ) : (
        <div className="pipeline-layout">
          <aside className="pipeline-sidebar" aria-label="Runs">
            <PlanButton />
            <RunList runs={runs} />
          </aside>
          <section className="pipeline-main" aria-label="Selected run">
            {selected === null ? (
              <EmptyState title="No runs yet" testId="pipeline-empty">
                <p>Plan the project: the model proposes its files, which you can review and edit before anything is written.</p>
              </EmptyState>
            ) : (
              <RunPanel key={selected.id} run={selected} />
            )}
          </section>
        </div>
      )}
    </div>
  );
}
