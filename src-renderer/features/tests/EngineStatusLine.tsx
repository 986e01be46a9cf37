import { useTestsStore } from './testsStore.ts';

/** Whether Docker answers, with its version, or the plain reason it does not and a Retry. */
export function EngineStatusLine() {
  const engine = useTestsStore((state) => state.engine);
  const checking = useTestsStore((state) => state.engineChecking);
  const error = useTestsStore((state) => state.engineError);
  const checkEngine = useTestsStore((state) => state.checkEngine);
  const retry = (
    <button type="button" className="button" data-testid="tests-engine-retry" disabled={checking} onClick={() => void checkEngine()}>
      {checking ? 'Checking…' : 'Retry'}
    </button>
  );

  if (engine === null && error === null) {
    return (
      <p className="tests-engine muted" role="status" data-testid="tests-engine" data-state="checking">
        <span className="spinner" aria-hidden="true" /> Checking Docker…
      </p>
    );
  }
  if (engine === null || !engine.ok) {
    return (
      <div className="notice notice-error tests-engine-error" role="alert" data-testid="tests-engine" data-state="down">
        <span data-testid="tests-engine-message">{engine !== null && !engine.ok ? engine.message : `Could not ask whether Docker runs: ${error?.message ?? ''}`}</span>
        {retry}
      </div>
    );
  }
  return (
    <p className="tests-engine" data-testid="tests-engine" data-state="ok">
      <span className="tests-engine-dot" aria-hidden="true" />
      <span data-testid="tests-engine-message">
        Docker {engine.version} (API {engine.apiVersion}, {engine.os})
      </span>
      <span className="muted">at {engine.endpoint}</span>
      <button type="button" className="button button-quiet" data-testid="tests-engine-retry" disabled={checking} onClick={() => void checkEngine()}>
        {checking ? 'Checking…' : 'Check again'}
      </button>
    </p>
  );
}
