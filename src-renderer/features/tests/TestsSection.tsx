import { useEffect } from 'react';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { EngineStatusLine } from './EngineStatusLine.tsx';
import { RepairList } from './RepairList.tsx';
import { TestActions } from './TestActions.tsx';
import { TestRunDetail } from './TestRunDetail.tsx';
import { TestRunHistory } from './TestRunHistory.tsx';
import { useTestsStore } from './testsStore.ts';
import './tests.css';

/**
 * A finished run's tests in the sandbox: whether Docker answers, Run and Repair, the repair
 * rounds, the shown test run (result, cases, log) and the history of test runs.
 */
export function TestsSection({ run }: { run: RunView }) {
  useEffect(() => useTestsStore.getState().open(run.id), [run.id]);
  const open = useTestsStore((state) => state.runId === run.id);
  const status = useTestsStore((state) => state.status);
  const loadError = useTestsStore((state) => state.loadError);
  const load = useTestsStore((state) => state.load);

  return (
    <section className="tests-section" data-testid="tests-section" data-run-id={run.id} aria-label="Tests">
      <div className="tests-top">
        <EngineStatusLine />
        <TestActions />
      </div>
      {!open || (status === 'loading' && loadError === null) ? (
        <p className="muted" role="status">
          Loading the test runs…
        </p>
      ) : status === 'failed' && loadError !== null ? (
        <div className="notice notice-error" role="alert" data-testid="tests-load-error">
          <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the test runs.' : loadError.message}</span>
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      ) : (
        <>
          <RepairList />
          <div className="tests-body">
            <TestRunDetail />
            <TestRunHistory />
          </div>
        </>
      )}
    </section>
  );
}
