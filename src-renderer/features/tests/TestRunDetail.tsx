import type { TestRunView } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { FormError } from '../../ui/FormError.tsx';
import { useAction } from '../../ui/useAction.ts';
import { StatusBadge } from '../pipeline/StatusBadge.tsx';
import { TestCaseTable } from './TestCaseTable.tsx';
import { TestLog } from './TestLog.tsx';
import { durationText, outcomeText, startedText, testRunBadge } from './testLabels.ts';
import { shownTestRunId, useTestsStore } from './testsStore.ts';

/** The summary of a test run in words. */
function summaryOf(testRun: TestRunView): string {
  if (testRun.status === 'running') return 'Running the tests…';
  if (testRun.status === 'interrupted') return 'The app stopped while these tests ran: no result was recorded.';
  if (testRun.result === null) return testRun.status === 'cancelled' ? 'Cancelled' : 'No result';
  if (testRun.status === 'cancelled') return 'Cancelled';
  return outcomeText(testRun.result);
}

/**
 * The shown test run (the newest unless one is picked in the history): its outcome in words, why
 * the install step was skipped, every case with its message and details, and the log.
 */
export function TestRunDetail() {
  const id = useTestsStore(shownTestRunId);
  const entry = useTestsStore((state) => state.testRuns.find((testRun) => testRun.id === id) ?? null);
  const detail = useTestsStore((state) => (state.detail !== null && state.detail.id === id ? state.detail : null));
  const live = useTestsStore((state) => (id === null ? undefined : state.live[id]));
  const cancelTestRun = useTestsStore((state) => state.cancelTestRun);
  const cancel = useAction(() => (id === null ? Promise.resolve(null) : cancelTestRun(id)));

  if (id === null || entry === null) {
    return (
      <EmptyState title="No test runs yet" testId="tests-empty">
        <p>Run the project&apos;s own tests in the sandbox, or Repair to run them and fix what fails.</p>
      </EmptyState>
    );
  }
  // The list entry moves first (events); the detail brings the log.
  const testRun = detail !== null && detail.status === entry.status ? detail : entry;
  const running = testRun.status === 'running';
  const result = testRun.result;
  const badge = testRunBadge(testRun);

  return (
    <section className="test-run" data-testid="test-run" data-test-run-id={testRun.id} data-status={testRun.status} data-outcome={result?.outcome ?? ''} aria-labelledby="test-run-title">
      <div className="test-run-heading">
        <h4 className="run-section-title" id="test-run-title">
          Test run of {startedText(testRun.createdAt)}
        </h4>
        {running && testRun.repairId === undefined ? (
          <button type="button" className="button button-quiet button-quiet-danger" data-testid="test-run-cancel" disabled={cancel.busy} onClick={() => void cancel.start()}>
            Cancel
          </button>
        ) : null}
      </div>
      <p className="test-run-summary">
        <StatusBadge status={badge.status} label={badge.label} testId="test-run-status" />
        {running ? <span className="spinner" aria-hidden="true" /> : null}
        <span data-testid="test-run-summary" role={running ? undefined : 'status'}>
          {summaryOf(testRun)}
        </span>
        {result !== null && !running ? <span className="muted">in {durationText(result.durationMs)}</span> : null}
        <span className="muted">
          · image <code>{testRun.image}</code>
        </span>
      </p>
      <FormError message={cancel.error} />
      {running && testRun.repairId !== undefined ? <p className="field-hint">Run by a repair: cancel the repair to stop it.</p> : null}
      {result?.message ? (
        <p className={result.outcome === 'passed' || result.outcome === 'failed' ? 'field-hint' : 'tests-problem'} data-testid="test-run-message">
          {result.message}
        </p>
      ) : null}
      {result?.runaway?.stacks ? (
        <details className="tests-runaway" data-testid="test-run-runaway">
          <summary>Where {result.runaway.name} was when the run was stopped</summary>
          <pre>{result.runaway.stacks}</pre>
        </details>
      ) : null}
      {result !== null && !result.installed && result.installNote ? (
        <p className="field-hint" data-testid="test-run-install-note">
          The install step did not run ({result.installNote.replace(/^skipped: /, '')}): the image must already hold the dependencies.
        </p>
      ) : null}
      {result !== null && result.cases.length > 0 ? <TestCaseTable cases={result.cases} /> : null}
      <TestLog testRunId={testRun.id} live={live} running={running} log={running ? null : (detail?.log ?? null)} truncated={result?.logTruncated ?? false} />
    </section>
  );
}
