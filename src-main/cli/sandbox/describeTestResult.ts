import { AppError } from '../../../src-shared/AppError.ts';
import type { SandboxResult, TestCase } from '../../../src-shared/sandbox/sandboxTypes.ts';

/** A sandbox result as the CLI shows it: the log has streamed already. */
export type ShownResult = Omit<SandboxResult, 'log'>;

const maxNameColumn = 72;
const maxMessageChars = 200;
const statusLabels: Record<TestCase['status'], string> = { passed: 'PASSED', failed: 'FAILED', error: 'ERROR', skipped: 'SKIPPED' };

/**
 * The per-test table and the summary line, for people:
 *
 *   PASSED   tests/test_store.py::test_add          12 ms
 *   FAILED   tests/test_api.py::test_list           31 ms
 *            AssertionError: assert [] == [...]
 *   1 passed, 1 failed in 1.4 s (service-creator/sandbox-python:dev)
 */
export function describeTestResult(result: ShownResult): string[] {
  const width = Math.min(maxNameColumn, Math.max(0, ...result.cases.map((testCase) => testCase.name.length)));
  const lines: string[] = [];
  for (const testCase of result.cases) {
    const name = testCase.name.length > width ? `${testCase.name.slice(0, width - 3)}...` : testCase.name.padEnd(width);
    lines.push(`${statusLabels[testCase.status].padEnd(8)} ${name}  ${duration(testCase.durationMs).padStart(8)}`);
    if ((testCase.status === 'failed' || testCase.status === 'error') && testCase.message) lines.push(`${' '.repeat(9)}${firstLine(testCase.message)}`);
  }
  if (result.cases.length === 0) lines.push('No test results');
  const { passed, failed, errors, skipped } = result.summary;
  const counts = [`${passed} passed`, ...(failed > 0 ? [`${failed} failed`] : []), ...(errors > 0 ? [`${errors} error${errors === 1 ? '' : 's'}`] : []), ...(skipped > 0 ? [`${skipped} skipped`] : [])];
  lines.push(`${counts.join(', ')} in ${duration(result.durationMs)} (${result.image})`);
  return lines;
}

/**
 * Why a result is not a pass, as the error the command exits 1 with (undefined when it passed):
 * the failing tests by name, "Timed out after 300 s", the memory or process limit, a missing
 * report. An engine or image problem is SANDBOX_UNAVAILABLE; a project whose tests do not pass
 * is TESTS_FAILED.
 */
export function testOutcomeError(result: ShownResult): AppError | undefined {
  switch (result.outcome) {
    case 'passed':
      return undefined;
    case 'failed': {
      const failing = result.cases.filter((testCase) => testCase.status === 'failed' || testCase.status === 'error');
      if (failing.length === 0) return new AppError('TESTS_FAILED', `The tests failed: ${result.message ?? `the command exited with ${result.exitCode}`}`);
      const names = failing.slice(0, 5).map((testCase) => testCase.name);
      const more = failing.length > names.length ? `, and ${failing.length - names.length} more` : '';
      return new AppError('TESTS_FAILED', `${failing.length} of ${result.cases.length} tests failed: ${names.join(', ')}${more}`);
    }
    case 'timeout':
      return new AppError('TESTS_FAILED', `Timed out${result.limits ? ` after ${result.limits.timeoutMs / 1000} s` : ''}: the tests were stopped (a longer limit: --timeout SECONDS)`);
    case 'oom':
    case 'pids':
    case 'no-report':
      return new AppError('TESTS_FAILED', result.message ?? `The tests ended with "${result.outcome}"`);
    case 'error': {
      const message = result.message ?? 'The sandbox could not run the tests';
      // The install step failing is the project's doing, not the engine's.
      return new AppError(result.failedStep === 'install' ? 'TESTS_FAILED' : 'SANDBOX_UNAVAILABLE', message);
    }
    default:
      return result.outcome satisfies never;
  }
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > maxMessageChars ? `${line.slice(0, maxMessageChars - 3)}...` : line;
}
