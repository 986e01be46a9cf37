import { StatusBadge } from '../pipeline/StatusBadge.tsx';
import { countsText, startedText, testRunBadge } from './testLabels.ts';
import { shownTestRunId, useTestsStore } from './testsStore.ts';

/** Every test run of this generation run, newest first (those of repairs marked); picking one shows it. */
export function TestRunHistory() {
  const testRuns = useTestsStore((state) => state.testRuns);
  const shown = useTestsStore(shownTestRunId);
  const pinned = useTestsStore((state) => state.pinnedTestRunId);
  const showTestRun = useTestsStore((state) => state.showTestRun);
  if (testRuns.length === 0) return null;
  return (
    <section className="tests-history" data-testid="tests-history" aria-labelledby="tests-history-title">
      <div className="tests-history-heading">
        <h4 className="run-section-title" id="tests-history-title">
          Test runs
        </h4>
        {pinned !== null ? (
          <button type="button" className="button button-quiet" data-testid="tests-history-follow" onClick={() => showTestRun(null)}>
            Show the newest
          </button>
        ) : null}
      </div>
      <ol className="run-list">
        {testRuns.map((testRun) => {
          const badge = testRunBadge(testRun);
          return (
            <li key={testRun.id}>
              <button
                type="button"
                className="run-list-item"
                data-testid="tests-history-item"
                data-test-run-id={testRun.id}
                data-status={testRun.status}
                data-outcome={testRun.result?.outcome ?? ''}
                aria-current={testRun.id === shown ? 'true' : undefined}
                onClick={() => showTestRun(testRun.id)}
              >
                <span className="run-list-date">{startedText(testRun.createdAt)}</span>
                <span className="run-list-meta">
                  <StatusBadge status={badge.status} label={badge.label} />
                  {testRun.result !== null && (testRun.result.outcome === 'passed' || testRun.result.outcome === 'failed') ? (
                    <span className="muted">{countsText(testRun.result.summary)}</span>
                  ) : null}
                  {testRun.repairId !== undefined ? <span className="muted">repair</span> : null}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
