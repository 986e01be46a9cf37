import { describe, expect, it } from 'vitest';
import type { SandboxResult } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { roundBounds, timeoutBounds } from '../../../src-renderer/features/tests/testFieldBounds.ts';
import { checkWholeNumber } from '../../../src-renderer/ui/checkWholeNumber.ts';
import { countsText, durationText, outcomeText, testRunBadge } from '../../../src-renderer/features/tests/testLabels.ts';

/** A finished result as the core stores it (without the log). */
function result(fields: Partial<Omit<SandboxResult, 'log'>>): Omit<SandboxResult, 'log'> {
  return {
    outcome: 'passed',
    exitCode: 0,
    cases: [],
    summary: { passed: 0, failed: 0, errors: 0, skipped: 0 },
    logTruncated: false,
    durationMs: 1200,
    image: 'service-creator/sandbox-python:dev',
    installed: false,
    ...fields,
  };
}

describe('test outcomes in words', () => {
  it('counts only what is there', () => {
    expect(countsText({ passed: 3, failed: 1 })).toBe('3 passed, 1 failed');
    expect(countsText({ passed: 0, failed: 2 })).toBe('2 failed');
    expect(countsText({ passed: 2, failed: 0, errors: 1, skipped: 1 })).toBe('2 passed, 1 error, 1 skipped');
    expect(countsText({ passed: 0, failed: 0, errors: 2 })).toBe('2 errors');
    expect(countsText({ passed: 0, failed: 0 })).toBe('No test cases');
  });

  it('says the limits the result carries, before what its message says', () => {
    const limits = { memoryBytes: 256 * 1024 ** 2, cpus: 1, pids: 64, timeoutMs: 45_000, logBytes: 1024 * 1024 };
    expect(outcomeText(result({ outcome: 'timeout', limits, durationMs: 46_200, message: 'The tests ran past the 300 s limit and were stopped' }))).toBe('Timed out after 45 s');
    expect(outcomeText(result({ outcome: 'oom', limits, message: 'A process ran out of memory (limit 512 MiB)' }))).toBe('Out of memory (256 MiB)');
    expect(outcomeText(result({ outcome: 'pids', limits }))).toBe('Too many processes (64)');
  });

  it('says each outcome with the limit the core names in its message', () => {
    expect(outcomeText(result({ outcome: 'failed', summary: { passed: 3, failed: 1, errors: 0, skipped: 0 } }))).toBe('3 passed, 1 failed');
    expect(outcomeText(result({ outcome: 'timeout', exitCode: null, message: 'The tests ran past the 300 s limit and were stopped' }))).toBe('Timed out after 300 s');
    expect(outcomeText(result({ outcome: 'timeout', durationMs: 61_400 }))).toBe('Timed out after 61 s');
    expect(outcomeText(result({ outcome: 'oom', message: 'A process ran out of memory (limit 512 MiB) and the kernel killed it' }))).toBe('Out of memory (512 MiB)');
    expect(outcomeText(result({ outcome: 'oom' }))).toBe('Out of memory');
    expect(outcomeText(result({ outcome: 'pids', message: 'The tests hit the limit of 256 processes and threads (a fork bomb or runaway threads); the kernel refused further ones' }))).toBe(
      'Too many processes (256)',
    );
    expect(outcomeText(result({ outcome: 'no-report', exitCode: 2 }))).toBe('No test report (exit code 2)');
    expect(outcomeText(result({ outcome: 'no-report', exitCode: null }))).toBe('No test report (no exit code)');
    expect(outcomeText(result({ outcome: 'error', message: 'no image' }))).toBe('The tests could not run');
  });

  it('badges a run by its outcome once it has one, else by its state', () => {
    expect(testRunBadge({ status: 'running', result: null })).toEqual({ status: 'running', label: 'Running' });
    expect(testRunBadge({ status: 'finished', result: result({ outcome: 'oom' }) })).toEqual({ status: 'oom', label: 'Out of memory' });
    expect(testRunBadge({ status: 'cancelled', result: result({ outcome: 'error' }) })).toEqual({ status: 'cancelled', label: 'Cancelled' });
    expect(testRunBadge({ status: 'interrupted', result: null })).toEqual({ status: 'interrupted', label: 'Interrupted' });
  });

  it('writes durations for people', () => {
    expect(durationText(12.4)).toBe('12 ms');
    expect(durationText(3400)).toBe('3.40 s');
    expect(durationText(42_000)).toBe('42.0 s');
    expect(durationText(125_000)).toBe('2 min 5 s');
  });
});

describe('the number fields', () => {
  it('take whole numbers within the contract\'s bounds and say why not otherwise', () => {
    expect(checkWholeNumber('300', timeoutBounds)).toEqual({ ok: true, value: 300 });
    expect(checkWholeNumber('0', timeoutBounds)).toEqual({ ok: false, problem: 'Timeout must be a whole number from 1 to 3600, not "0"' });
    expect(checkWholeNumber('2.5', roundBounds)).toMatchObject({ ok: false });
    expect(checkWholeNumber('', roundBounds)).toMatchObject({ ok: false });
    expect(checkWholeNumber('10', roundBounds)).toEqual({ ok: true, value: 10 });
  });
});
