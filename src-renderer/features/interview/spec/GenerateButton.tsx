import { useId, useState } from 'react';

/**
 * Generate: enabled once the spec is complete. The generation pipeline is not part of this build,
 * so the button says so plainly instead of pretending.
 */
export function GenerateButton({ ready }: { ready: boolean }) {
  const [clicked, setClicked] = useState(false);
  const hintId = useId();
  return (
    <div className="spec-generate">
      <button
        type="button"
        className="button button-primary"
        data-testid="spec-generate"
        disabled={!ready}
        aria-describedby={ready ? undefined : hintId}
        onClick={() => {
          setClicked(true);
        }}
      >
        Generate the service
      </button>
      {ready ? null : (
        <span className="field-hint" id={hintId}>
          Available once the spec is complete.
        </span>
      )}
      {clicked && ready ? (
        <p className="notice spec-generate-notice" role="status" data-testid="spec-generate-notice">
          Generating the service comes with the generation pipeline, which is not in this build yet. The spec is saved and can be
          exported meanwhile.
        </p>
      ) : null}
    </div>
  );
}
