import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliOutput } from '../../../src-main/cli/CliOutput.ts';
import { describeRepairEnd, describeRepairRound } from '../../../src-main/cli/sandbox/describeRepairRound.ts';
import { describeTestResult, type ShownResult, testOutcomeError } from '../../../src-main/cli/sandbox/describeTestResult.ts';
import { dirTestPlan } from '../../../src-main/cli/sandbox/dirTestPlan.ts';
import { wholeNumberOption } from '../../../src-main/cli/wholeNumberOption.ts';
import { readProjectDir } from '../../../src-main/cli/sandbox/readProjectDir.ts';
import { TestLog } from '../../../src-main/cli/sandbox/TestLog.ts';
import { waitOrStop } from '../../../src-main/cli/sandbox/waitOrStop.ts';
import { EventBus } from '../../../src-main/events/EventBus.ts';
import { AppError } from '../../../src-shared/AppError.ts';
import { defaultSandboxLimits, type RepairView, type TestCase } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { createBufferIo } from '../../support/bufferIo.ts';
import { rejection } from '../../support/rejection.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const tempDir = useTempDirs();

function folder(files: Record<string, string | Buffer>): string {
  const dir = tempDir('sc-cli-sandbox-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('readProjectDir', () => {
  it('reads every text file with / paths, skipping .git, node_modules, .service-creator, __pycache__ and binary files', async () => {
    const dir = folder({
      'app/main.py': 'print(1)\n',
      'tests/test_main.py': 'def test_x():\n    pass\n',
      '.git/HEAD': 'ref\n',
      'node_modules/x/index.js': '1',
      '.service-creator/provenance.json': '{}',
      'app/__pycache__/main.cpython-311.pyc': Buffer.from([0, 1, 2]),
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]),
      'latin1.txt': Buffer.from([0xe9, 0x0a]),
    });
    const contents = await readProjectDir(dir);
    expect(contents.files).toEqual([
      { path: 'app/main.py', content: 'print(1)\n' },
      { path: 'tests/test_main.py', content: 'def test_x():\n    pass\n' },
    ]);
    expect(contents.skippedBinary).toEqual(['latin1.txt', 'logo.png']);
    expect(contents.bytes).toBe(9 + 23);
  });

  it('follows a link to a file inside the folder; refuses links out of it, to folders, to nothing', async () => {
    const dir = folder({ 'data/rules.json': '[]', 'app.py': 'x = 1\n' });
    symlinkSync(join(dir, 'data', 'rules.json'), join(dir, 'rules.json'));
    expect((await readProjectDir(dir)).files.map((file) => [file.path, file.content])).toContainEqual(['rules.json', '[]']);

    const outside = folder({ 'secret.txt': 'no' });
    const escaping = folder({ 'app.py': 'x = 1\n' });
    symlinkSync(join(outside, 'secret.txt'), join(escaping, 'secret.txt'));
    expect(await rejection(readProjectDir(escaping))).toMatchObject({ code: 'INVALID_INPUT', message: `"secret.txt" in ${escaping} is a symbolic link to ${join(outside, 'secret.txt')}, outside the folder: the sandbox takes only the project's own files (replace the link with a copy, or remove it)` });

    const relativeEscape = folder({ 'app.py': 'x = 1\n' });
    symlinkSync('../../../../../../etc/hostname', join(relativeEscape, 'host'));
    expect((await rejection(readProjectDir(relativeEscape))).message).toMatch(/"host" in .* is a symbolic link to .*, outside the folder/);

    const toFolder = folder({ 'data/a.txt': 'a' });
    symlinkSync(join(toFolder, 'data'), join(toFolder, 'more'));
    expect((await rejection(readProjectDir(toFolder))).message).toContain('"more" in');
    expect((await rejection(readProjectDir(toFolder))).message).toContain('is a symbolic link to a folder');

    const dangling = folder({ 'a.txt': 'a' });
    symlinkSync(join(dangling, 'gone'), join(dangling, 'b.txt'));
    expect((await rejection(readProjectDir(dangling))).message).toContain('"b.txt" in');
    expect((await rejection(readProjectDir(dangling))).message).toContain('a symbolic link to something that does not exist');
  });

  it.skipIf(process.platform === 'win32')('ignores pipes (reading one would block)', async () => {
    const dir = folder({ 'a.py': 'x = 1\n' });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect((await readProjectDir(dir)).files.map((file) => file.path)).toEqual(['a.py']);
  });

  it('bounds the number and size of files, naming the limit', async () => {
    const dir = folder({ 'a.py': 'x = 1\n', 'b.py': 'y = 2\n', 'c.py': 'z = 3\n' });
    const limits = { maxFiles: 2, maxFileBytes: 1024, maxTotalBytes: 4096 };
    expect((await rejection(readProjectDir(dir, limits))).message).toBe(`${dir} holds more than 2 files (not counting .git, node_modules, .service-creator, __pycache__, .pytest_cache, .venv); the sandbox takes at most 2: test a smaller folder`);
    expect((await rejection(readProjectDir(dir, { ...limits, maxFiles: 10, maxFileBytes: 4 }))).message).toBe('"a.py" is 6 bytes; the sandbox takes files of at most 4 bytes');
    expect((await rejection(readProjectDir(dir, { ...limits, maxFiles: 10, maxTotalBytes: 10 }))).message).toContain('add up to more than 10 bytes (at "b.py")');
  });

  it('says when the folder is missing, is a file, or has nothing to test', async () => {
    const dir = folder({ 'a.txt': 'a' });
    expect(await rejection(readProjectDir(join(dir, 'nope')))).toMatchObject({ code: 'INVALID_INPUT', message: `There is no folder ${join(dir, 'nope')}` });
    expect((await rejection(readProjectDir(join(dir, 'a.txt')))).message).toBe(`${join(dir, 'a.txt')} is not a folder: name the project folder to test`);
    const empty = folder({ '.git/HEAD': 'x' });
    expect((await rejection(readProjectDir(empty))).message).toBe(`${empty} has no files to test`);
  });
});

describe('dirTestPlan', () => {
  const provenance = (value: unknown) => folder({ '.service-creator/provenance.json': JSON.stringify(value) });

  it('takes the commands and the language from the provenance; options win', async () => {
    const dir = provenance({ format: 1, spec: { target: { language: 'typescript', framework: 'express' } }, plan: { test: 'npm test', install: 'npm ci' } });
    expect(await dirTestPlan(dir, {})).toEqual({ test: 'npm test', install: 'npm ci', language: 'node' });
    // Another test command drops the provenance's install step (it belongs to its command) unless --install names one.
    expect(await dirTestPlan(dir, { command: 'node --test', language: 'python' })).toEqual({ test: 'node --test', language: 'python' });
    expect(await dirTestPlan(dir, { command: 'node --test', install: 'npm i' })).toMatchObject({ test: 'node --test', install: 'npm i' });
    expect(await dirTestPlan(provenance({ plan: { test: 'pytest -q', install: '' }, spec: { target: { language: 'python' } } }), {})).toEqual({ test: 'pytest -q', language: 'python' });
  });

  it('without a provenance, needs --command; Python is the default language', async () => {
    const dir = folder({ 'a.py': '' });
    expect(await rejection(dirTestPlan(dir, {}))).toMatchObject({ code: 'INVALID_INPUT', message: `${dir} has no .service-creator/provenance.json (an export writes one) to say how its tests run: pass the test command, e.g. --command "pytest -q"` });
    expect(await dirTestPlan(dir, { command: ' pytest ' })).toEqual({ test: 'pytest', language: 'python' });
  });

  it('names a provenance without a test command, one that is not JSON, and one of the wrong shape', async () => {
    const file = (dir: string) => join(dir, '.service-creator', 'provenance.json');
    const noTest = provenance({ plan: { test: '  ' } });
    expect((await rejection(dirTestPlan(noTest, {}))).message).toBe(`${file(noTest)} names no test command (plan.test): pass one, e.g. --command "pytest -q"`);
    const broken = folder({ '.service-creator/provenance.json': '{"plan": ' });
    expect((await rejection(dirTestPlan(broken, {}))).message).toMatch(new RegExp(`^${file(broken).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON \\(.+\\): fix it or pass --command$`));
    const wrong = provenance({ plan: { test: 42 } });
    expect((await rejection(dirTestPlan(wrong, {}))).message).toContain(`${file(wrong)} is not a provenance file: plan.test:`);
  });
});

function testCase(name: string, status: TestCase['status'], extra: Partial<TestCase> = {}): TestCase {
  return { name, status, durationMs: 12, ...extra };
}

function shown(overrides: Partial<ShownResult>): ShownResult {
  const cases = overrides.cases ?? [];
  const count = (status: TestCase['status']) => cases.filter((item) => item.status === status).length;
  return {
    outcome: 'passed',
    exitCode: 0,
    cases,
    summary: { passed: count('passed'), failed: count('failed'), errors: count('error'), skipped: count('skipped') },
    logTruncated: false,
    durationMs: 1400,
    image: 'img:dev',
    installed: false,
    limits: defaultSandboxLimits,
    ...overrides,
  };
}

describe('describeTestResult and testOutcomeError', () => {
  it('prints a row per case with the first line of each failure, then the counts', () => {
    const result = shown({
      outcome: 'failed',
      exitCode: 1,
      cases: [testCase('tests.test_a::test_one', 'passed'), testCase('tests.test_b::test_two', 'failed', { message: 'assert 1 == 2\nmore detail', durationMs: 2500 }), testCase('t::skip', 'skipped')],
    });
    expect(describeTestResult(result)).toEqual([
      'PASSED   tests.test_a::test_one     12 ms',
      'FAILED   tests.test_b::test_two     2.5 s',
      '         assert 1 == 2',
      'SKIPPED  t::skip                    12 ms',
      '1 passed, 1 failed, 1 skipped in 1.4 s (img:dev)',
    ]);
    expect(testOutcomeError(result)).toMatchObject({ code: 'TESTS_FAILED', message: '1 of 3 tests failed: tests.test_b::test_two' });
    expect(testOutcomeError(shown({ cases: [testCase('a', 'passed')] }))).toBeUndefined();
  });

  it('names at most five failing tests', () => {
    const cases = Array.from({ length: 7 }, (_, index) => testCase(`t::case${index}`, index % 2 === 0 ? 'error' : 'failed'));
    expect(testOutcomeError(shown({ outcome: 'failed', cases }))?.message).toBe('7 of 7 tests failed: t::case0, t::case1, t::case2, t::case3, t::case4, and 2 more');
  });

  it('says which limit stopped the tests, or why there is no result', () => {
    expect(describeTestResult(shown({ outcome: 'timeout', exitCode: null, durationMs: 300 }))).toEqual(['No test results', '0 passed in 300 ms (img:dev)']);
    expect(testOutcomeError(shown({ outcome: 'timeout', exitCode: null }))?.message).toBe('Timed out after 300 s: the tests were stopped (a longer limit: --timeout SECONDS)');
    const limits = { memoryBytes: 512 * 1024 ** 2, cpus: 1, pids: 256, timeoutMs: 90_000, logBytes: 1024 * 1024 };
    expect(testOutcomeError(shown({ outcome: 'timeout', exitCode: null, limits }))?.message).toBe('Timed out after 90 s: the tests were stopped (a longer limit: --timeout SECONDS)');
    const { limits: _limits, ...stoppedBefore } = shown({ outcome: 'timeout', exitCode: null });
    expect(testOutcomeError(stoppedBefore)?.message).toBe('Timed out: the tests were stopped (a longer limit: --timeout SECONDS)');
    expect(testOutcomeError(shown({ outcome: 'oom', message: 'A process ran out of memory (limit 512 MiB) and the kernel killed it' }))?.message).toBe('A process ran out of memory (limit 512 MiB) and the kernel killed it');
    expect(testOutcomeError(shown({ outcome: 'pids', message: 'The tests hit the limit of 256 processes' }))?.message).toBe('The tests hit the limit of 256 processes');
    expect(testOutcomeError(shown({ outcome: 'no-report', message: 'The test command exited with 2 without a JUnit report' }))).toMatchObject({ code: 'TESTS_FAILED', message: 'The test command exited with 2 without a JUnit report' });
    expect(testOutcomeError(shown({ outcome: 'failed', message: 'The JUnit report lists no test cases (the command exited with 5)' }))?.message).toBe('The tests failed: The JUnit report lists no test cases (the command exited with 5)');
    expect(testOutcomeError(shown({ outcome: 'error', message: 'Docker is not running: start Docker Desktop or dockerd (x)' }))?.code).toBe('SANDBOX_UNAVAILABLE');
    expect(testOutcomeError(shown({ outcome: 'error', failedStep: 'install', message: 'The install step "pip install" exited with 1; the tests did not run' }))?.code).toBe('TESTS_FAILED');
    // Decided by the step that failed, not by the words: an engine error is the engine's, whatever it says.
    expect(testOutcomeError(shown({ outcome: 'error', message: 'The install step could not start: Docker is not running' }))?.code).toBe('SANDBOX_UNAVAILABLE');
  });
});

describe('describeRepairRound', () => {
  it('lists each file asked for and what the tests said after', () => {
    const at = '2026-01-01T00:00:00.000Z';
    expect(describeRepairRound({ round: 0, changed: [], passed: 0, failed: 2, note: 'Before repair: failed: 0 passed, 2 failing', createdAt: at })).toBe('Round 0: Before repair: failed: 0 passed, 2 failing');
    expect(
      describeRepairRound({
        round: 1,
        changed: [
          { path: 'app/store.py', outcome: 'changed' },
          { path: 'app/main.py', outcome: 'invalid', note: 'Syntax error at line 3\nand more' },
        ],
        passed: 2,
        failed: 0,
        note: 'passed: 2 passed, 0 failing',
        createdAt: at,
      }),
    ).toBe('Round 1: app/store.py changed; app/main.py invalid (Syntax error at line 3) -> passed: 2 passed, 0 failing');
    const repair: RepairView = { id: 'r1', projectId: 'p', pipelineRunId: 'run', status: 'green', maxRounds: 3, note: 'Green after 1 round(s)', rounds: [{ round: 1, changed: [], passed: 2, failed: 0, createdAt: at }], createdAt: at };
    expect(describeRepairEnd(repair)).toBe('Repair r1: green (2 passed, 0 failing): Green after 1 round(s)');
  });
});

describe('wholeNumberOption', () => {
  it('takes whole numbers in range and names anything else', () => {
    const parse = wholeNumberOption(1, 10);
    expect(parse(' 7 ')).toBe(7);
    for (const bad of ['0', '11', '2.5', '-1', 'x', '']) expect(() => parse(bad)).toThrow(`expected a whole number from 1 to 10, got ${JSON.stringify(bad)}`);
  });
});

describe('waitOrStop', () => {
  it('returns the value when the work ends first', async () => {
    const { io } = createBufferIo({ waitForStop: () => new Promise(() => undefined) });
    expect(await waitOrStop(io, Promise.resolve(5), () => undefined)).toEqual({ value: 5, stopped: false });
  });

  it('on a stop request, stops the work and waits until it has ended; a CONFLICT from stop means it ended already', async () => {
    const { io } = createBufferIo({ waitForStop: () => Promise.resolve() });
    let finish: (value: string) => void = () => undefined;
    const done = new Promise<string>((resolve) => (finish = resolve));
    const stops: string[] = [];
    const waiting = waitOrStop(io, done, () => {
      stops.push('stop');
      setTimeout(() => finish('cancelled'), 10);
    });
    expect(await waiting).toEqual({ value: 'cancelled', stopped: true });
    expect(stops).toEqual(['stop']);

    expect(await waitOrStop(io, new Promise((resolve) => setTimeout(() => resolve('done'), 5)), () => Promise.reject(new AppError('CONFLICT', 'not running')))).toEqual({ value: 'done', stopped: true });
    expect(await rejection(waitOrStop(io, new Promise(() => undefined), () => Promise.reject(new AppError('INTERNAL', 'boom'))))).toMatchObject({ code: 'INTERNAL' });
  });
});

describe('TestLog', () => {
  it('prints its run\'s log raw on stderr, ending an open line; events before attach are held', () => {
    const buffers = createBufferIo();
    const log = new TestLog(new CliOutput(buffers.io, false), buffers.io);
    const bus = new EventBus();
    const following = log.follow(bus);
    bus.emit('sandbox.event', { testRunId: 't1', kind: 'log', stream: 'stdout', text: 'early\n' });
    bus.emit('sandbox.event', { testRunId: 'other', kind: 'log', stream: 'stdout', text: 'not ours\n' });
    following.attach('t1');
    bus.emit('sandbox.event', { testRunId: 't1', kind: 'log', stream: 'stderr', text: 'late' });
    bus.emit('sandbox.event', { testRunId: 'other', kind: 'log', stream: 'stdout', text: 'not ours\n' });
    bus.emit('sandbox.event', { testRunId: 't1', kind: 'changed' });
    following.stop();
    bus.emit('sandbox.event', { testRunId: 't1', kind: 'log', stream: 'stdout', text: 'after stop\n' });
    expect(buffers.stderr()).toBe('early\nlate\n');
    expect(buffers.stdout()).toBe('');
  });

  it('with --json, prints log lines with the stream and the test run', () => {
    const buffers = createBufferIo();
    const log = new TestLog(new CliOutput(buffers.io, true), buffers.io);
    log.write('stdout', 'hello\n', 't1');
    log.write('stderr', 'oops');
    log.write('stdout', '');
    log.end();
    expect(buffers.jsonLines()).toEqual([
      { type: 'log', testRunId: 't1', stream: 'stdout', text: 'hello\n' },
      { type: 'log', stream: 'stderr', text: 'oops' },
    ]);
    expect(buffers.stderr()).toBe('');
  });
});
