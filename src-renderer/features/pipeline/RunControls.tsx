import { useState } from 'react';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import type { RunStatus, RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { FormError } from '../../ui/FormError.tsx';
import { usePipelineStore } from './pipelineStore.ts';

type Action = 'pause' | 'resume' | 'cancel';

const enabledIn: Record<Action, ReadonlySet<RunStatus>> = {
  pause: new Set(['generating']),
  resume: new Set(['paused', 'cancelled', 'failed']),
  cancel: new Set(['generating', 'paused']),
};

const labels: Record<Action, string> = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel' };

/** Pause (files being written finish, no new one starts), Resume (finished files are kept) and Cancel, each enabled where it applies. */
export function RunControls({ run }: { run: RunView }) {
  const pause = usePipelineStore((state) => state.pause);
  const resume = usePipelineStore((state) => state.resume);
  const cancel = usePipelineStore((state) => state.cancel);
  const actions: Record<Action, () => Promise<ErrorPayload | null>> = { pause, resume, cancel };
  const [working, setWorking] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: Action) => {
    setWorking(action);
    setError(null);
    const failure = await actions[action]();
    setWorking(null);
    if (failure) setError(failure.message);
  };

  return (
    <div className="run-controls">
      <div className="run-controls-buttons" role="group" aria-label="Run controls">
        {(['pause', 'resume', 'cancel'] as const).map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'cancel' ? 'button button-quiet button-quiet-danger' : 'button'}
            data-testid={`run-${action}`}
            disabled={working !== null || !enabledIn[action].has(run.status)}
            onClick={() => void act(action)}
          >
            {labels[action]}
          </button>
        ))}
      </div>
      <FormError message={error} />
    </div>
  );
}
