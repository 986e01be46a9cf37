import type { RepairView, SandboxOutcome, SandboxResult, TestCase, TestRunView } from '../../../src-shared/sandbox/sandboxTypes.ts';

type ResultWithoutLog = Omit<SandboxResult, 'log'>;
type RepairChange = RepairView['rounds'][number]['changed'][number];

/** How a finished test run ended, as a badge word. */
export const outcomeLabels: Record<SandboxOutcome, string> = {
  passed: 'Passed',
  failed: 'Failed',
  'no-report': 'No report',
  timeout: 'Timed out',
  oom: 'Out of memory',
  pids: 'Too many processes',
  error: 'Could not run',
};

/** A test run's own state, for runs without a result (running, cancelled, interrupted). */
export const testRunStatusLabels: Record<TestRunView['status'], string> = {
  running: 'Running',
  finished: 'Finished',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export const caseStatusLabels: Record<TestCase['status'], string> = {
  passed: 'Passed',
  failed: 'Failed',
  error: 'Error',
  skipped: 'Skipped',
};

export const repairStatusLabels: Record<RepairView['status'], string> = {
  running: 'Repairing',
  green: 'Green',
  stopped: 'Stopped',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export const changeOutcomeLabels: Record<RepairChange['outcome'], string> = {
  changed: 'Changed',
  unchanged: 'Unchanged',
  invalid: 'Rejected',
  failed: 'No answer',
};

/** The badge of a test run: its outcome once it has one, else its state. */
export function testRunBadge(testRun: Pick<TestRunView, 'status' | 'result'>): { status: string; label: string } {
  if (testRun.status === 'running' || testRun.result === null) return { status: testRun.status, label: testRunStatusLabels[testRun.status] };
  if (testRun.status === 'cancelled') return { status: 'cancelled', label: testRunStatusLabels.cancelled };
  return { status: testRun.result.outcome, label: outcomeLabels[testRun.result.outcome] };
}

/** "3 passed, 1 failed" from counts (only those that are not zero); "No test cases" when all are. */
export function countsText(summary: { passed: number; failed: number; errors?: number; skipped?: number }): string {
  const parts = [
    summary.passed > 0 ? `${summary.passed} passed` : '',
    summary.failed > 0 ? `${summary.failed} failed` : '',
    (summary.errors ?? 0) > 0 ? `${summary.errors} ${summary.errors === 1 ? 'error' : 'errors'}` : '',
    (summary.skipped ?? 0) > 0 ? `${summary.skipped} skipped` : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? 'No test cases' : parts.join(', ');
}

/** The first number before `unit` in the message (the core states limits there), if any. */
function numberBefore(message: string | undefined, pattern: RegExp): string | null {
  return message === undefined ? null : (pattern.exec(message)?.[1] ?? null);
}

/**
 * What a finished test run came to, in words: "3 passed, 1 failed", "Timed out after 300 s",
 * "Out of memory (512 MiB)", "Too many processes (256)", "No test report (exit code 2)". The limits
 * come from the result; results stored before it carried them fall back to the core's message,
 * then to a plain wording.
 */
export function outcomeText(result: ResultWithoutLog): string {
  switch (result.outcome) {
    case 'passed':
    case 'failed':
      return countsText(result.summary);
    case 'timeout': {
      const seconds = result.limits ? String(result.limits.timeoutMs / 1000) : (numberBefore(result.message, /(\d+(?:\.\d+)?) s limit/) ?? String(Math.round(result.durationMs / 1000)));
      return `Timed out after ${seconds} s`;
    }
    case 'oom': {
      const mib = result.limits ? String(Math.round(result.limits.memoryBytes / 1024 ** 2)) : numberBefore(result.message, /(\d+) MiB/);
      return mib === null ? 'Out of memory' : `Out of memory (${mib} MiB)`;
    }
    case 'pids': {
      const pids = result.limits ? String(result.limits.pids) : numberBefore(result.message, /limit of (\d+) processes/);
      return pids === null ? 'Too many processes' : `Too many processes (${pids})`;
    }
    case 'no-report':
      return result.exitCode === null ? 'No test report (no exit code)' : `No test report (exit code ${result.exitCode})`;
    case 'error':
      return 'The tests could not run';
    default:
      return result.outcome satisfies never;
  }
}

/** A test's or a run's time: "12 ms", "3.4 s", "2 min 5 s". */
export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const startedFormatter = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** When a test run or repair started, to the second (several can start within a minute). */
export function startedText(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : startedFormatter.format(date);
}
