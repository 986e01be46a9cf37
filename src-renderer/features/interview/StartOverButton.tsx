import { useState } from 'react';
import { FormError } from '../../ui/FormError.tsx';
import { useInterviewStore } from './interviewStore.ts';

/** Start over, behind a confirmation: the answers and the spec (except its name) are cleared. */
export function StartOverButton() {
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reset = useInterviewStore((state) => state.reset);

  if (!confirming) {
    return (
      <button
        type="button"
        className="button button-quiet button-quiet-danger"
        data-testid="interview-start-over"
        onClick={() => {
          setConfirming(true);
        }}
      >
        Start over
      </button>
    );
  }

  const confirm = async () => {
    setWorking(true);
    setError(null);
    const failure = await reset();
    setWorking(false);
    if (failure === null) setConfirming(false);
    else setError(failure.message);
  };

  return (
    <div className="interview-start-over" role="group" aria-label="Start over">
      <span className="interview-start-over-question">Clear every answer and the spec (the name stays) and start again?</span>
      <button type="button" className="button button-danger" data-testid="interview-start-over-confirm" disabled={working} onClick={() => void confirm()}>
        Start over
      </button>
      <button
        type="button"
        className="button"
        autoFocus
        onClick={() => {
          setConfirming(false);
        }}
      >
        Cancel
      </button>
      <FormError message={error} />
    </div>
  );
}
