import { useEffect } from 'react';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { useProjectsStore } from '../projects/projectsStore.ts';
import { InterviewChat } from './InterviewChat.tsx';
import { useInterviewStore } from './interviewStore.ts';
import { SpecPanel } from './spec/SpecPanel.tsx';
import { StartOverButton } from './StartOverButton.tsx';
import './interview.css';

/** One project's page: the requirements interview on the left, the spec it builds on the right. */
export function InterviewView({ projectId }: { projectId: string }) {
  useEffect(() => useInterviewStore.getState().open(projectId), [projectId]);
  const project = useProjectsStore((state) => state.projects.find((candidate) => candidate.id === projectId));
  const projectsReady = useProjectsStore((state) => state.status === 'ready');
  const interview = useInterviewStore((state) => (state.projectId === projectId ? state.interview : null));
  const loadError = useInterviewStore((state) => state.loadError);
  const load = useInterviewStore((state) => state.load);
  const closeProject = useNavigationStore((state) => state.closeProject);
  const missing = loadError?.code === 'NOT_FOUND' || (projectsReady && project === undefined);

  return (
    <div className="view interview-view" data-testid="interview-view" data-project-id={projectId}>
      <div className="interview-topbar">
        <button type="button" className="button button-quiet" data-testid="interview-back" onClick={closeProject}>
          ← Back to projects
        </button>
        {interview && !missing ? <StartOverButton /> : null}
      </div>
      <header className="view-header">
        <h2 className="view-title" data-testid="interview-project-name">
          {project?.name ?? interview?.spec.name ?? 'Project'}
        </h2>
        <p className="view-description">Answer the questions; the spec on the right fills in as you go, and you can edit it directly.</p>
      </header>
      {missing ? (
        <EmptyState title="This project no longer exists" testId="interview-missing">
          <p>It was deleted, perhaps from another window or the command line.</p>
        </EmptyState>
      ) : loadError !== null && interview === null ? (
        <div className="notice notice-error" role="alert" data-testid="interview-load-error">
          <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the interview.' : loadError.message}</span>
          <button type="button" className="button" onClick={() => void load(true)}>
            Try again
          </button>
        </div>
      ) : interview === null ? (
        <p className="muted" role="status">
          Loading the interview…
        </p>
      ) : (
        <div className="interview-layout">
          <InterviewChat interview={interview} />
          <SpecPanel interview={interview} />
        </div>
      )}
    </div>
  );
}
