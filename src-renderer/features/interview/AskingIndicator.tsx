import { useState } from 'react';
import { useInterviewStore } from './interviewStore.ts';

/** While the model writes a question: what it has explained so far, and a way to stop it. */
export function AskingIndicator() {
  const streamed = useInterviewStore((state) => state.streamed);
  const cancel = useInterviewStore((state) => state.cancel);
  const [cancelling, setCancelling] = useState(false);
  return (
    <section className="interview-asking" data-testid="interview-asking" aria-busy="true">
      <p className="interview-asking-title" role="status">
        <span className="spinner" aria-hidden="true" /> Writing the next question…
      </p>
      {streamed === '' ? null : (
        <p className="interview-explanation interview-streamed" data-testid="interview-streamed">
          {streamed}
        </p>
      )}
      <button
        type="button"
        className="button"
        data-testid="interview-cancel"
        disabled={cancelling}
        onClick={() => {
          setCancelling(true);
          void cancel().finally(() => {
            setCancelling(false);
          });
        }}
      >
        Cancel
      </button>
    </section>
  );
}
