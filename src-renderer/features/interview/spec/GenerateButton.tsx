import { useId } from 'react';
import { useNavigationStore } from '../../navigation/navigationStore.ts';
import { useInterviewStore } from '../interviewStore.ts';

/** Generate: enabled once the spec is complete; opens the project's generation runs, where the plan is made and reviewed. */
export function GenerateButton({ ready }: { ready: boolean }) {
  const projectId = useInterviewStore((state) => state.projectId);
  const openProject = useNavigationStore((state) => state.openProject);
  const hintId = useId();
  return (
    <div className="spec-generate">
      <button
        type="button"
        className="button button-primary"
        data-testid="spec-generate"
        disabled={!ready || projectId === null}
        aria-describedby={ready ? undefined : hintId}
        onClick={() => {
          if (projectId !== null) openProject(projectId, 'pipeline');
        }}
      >
        Generate the service
      </button>
      {ready ? null : (
        <span className="field-hint" id={hintId}>
          Available once the spec is complete.
        </span>
      )}
    </div>
  );
}
