import { useId, useRef } from 'react';
import { useNavigationStore } from '../../navigation/navigationStore.ts';
import { usePipelineStore } from '../../pipeline/pipelineStore.ts';
import { useInterviewStore } from '../interviewStore.ts';

/**
 * Generate: enabled once the spec is complete; opens the project's runs and plans a new run
 * there at once (its plan is reviewed before anything is written). A second click while the
 * first is being taken does nothing: one click, one run.
 */
export function GenerateButton({ ready }: { ready: boolean }) {
  const projectId = useInterviewStore((state) => state.projectId);
  const openProject = useNavigationStore((state) => state.openProject);
  const clicked = useRef(false);
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
          if (projectId === null || clicked.current) return;
          clicked.current = true;
          usePipelineStore.getState().planWhenOpen(projectId);
          openProject(projectId, 'pipeline');
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
