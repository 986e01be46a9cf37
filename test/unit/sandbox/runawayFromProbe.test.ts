import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeProbeFile, nodeProbeSource, stacksIntervalSeconds } from '../../../src-main/sandbox/progressProbes.ts';
import { parseJunit } from '../../../src-main/sandbox/parseJunit.ts';
import { describeRunaway, runawayFromProbe } from '../../../src-main/sandbox/runawayFromProbe.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const dump = (line: number) => `Timeout (0:00:0${line})!
Thread 0x00007f1c2d8e1740 (most recent call first):
  File "/sandbox/project/app/retry.py", line ${line} in wait_until
  File "/sandbox/project/tests/test_retry.py", line 4 in test_wait
  File "/usr/lib/python3/dist-packages/_pytest/python.py", line 194 in pytest_pyfunc_call
`;

describe('runawayFromProbe', () => {
  it('names the running test, makes project paths relative and keeps only the last dump', () => {
    const runaway = runawayFromProbe({ running: JSON.stringify({ runner: 'pytest', tests: [{ name: 'tests/test_retry.py::test_wait', file: 'tests/test_retry.py', line: 3 }] }), stacks: `${dump(1)}${dump(2)}` }, '/sandbox/project');
    expect(runaway).toEqual({ name: 'tests/test_retry.py::test_wait', file: 'tests/test_retry.py', line: 3, stacks: dump(2).replaceAll('/sandbox/project/', '').trim() });
    expect(describeRunaway(runaway!)).toBe('tests/test_retry.py::test_wait (at app/retry.py line 2, in wait_until)');
  });

  it('names the frame of the thread busy in project code, not of the test waiting for it', () => {
    const stacks = [
      'Timeout (0:00:04)!',
      'Thread 0x00007f0 (most recent call first):',
      '  File "/usr/lib/python3.11/threading.py", line 320 in wait',
      '  File "/sandbox/project/tests/test_api.py", line 10 in test_create_and_list',
      '',
      'Thread 0x00007f1 (most recent call first):',
      '  File "/sandbox/project/app/store.py", line 13 in list',
      '  File "/usr/lib/python3/dist-packages/anyio/_backends/_asyncio.py", line 867 in run',
    ].join('\n');
    const runaway = runawayFromProbe({ running: JSON.stringify({ tests: [{ name: 'tests/test_api.py::test_create_and_list', file: 'tests/test_api.py', line: 6 }] }), stacks }, '/sandbox/project');
    expect(describeRunaway(runaway!)).toBe('tests/test_api.py::test_create_and_list (at app/store.py line 13, in list)');
  });

  it('takes the most deeply nested of the tests node reports running, with absolute paths made relative', () => {
    const running = JSON.stringify({
      runner: 'node',
      tests: [
        { name: '/sandbox/project/test/a.test.mjs', file: '/sandbox/project/test/a.test.mjs', line: 1, nesting: 0 },
        { name: 'suite', file: '/sandbox/project/test/a.test.mjs', line: 2, nesting: 0 },
        { name: 'waits forever', file: '/sandbox/project/test/a.test.mjs', line: 5, nesting: 1 },
      ],
    });
    const runaway = runawayFromProbe({ running }, '/sandbox/project');
    expect(runaway).toEqual({ name: 'waits forever', file: 'test/a.test.mjs', line: 5 });
    expect(describeRunaway(runaway!)).toBe('waits forever (at test/a.test.mjs line 5)');
    // A file-level entry (a busy loop blocks the child's events): the file is the name.
    const fileOnly = runawayFromProbe({ running: JSON.stringify({ tests: [{ name: '/sandbox/project/test/a.test.mjs', file: '/sandbox/project/test/a.test.mjs', line: 1, nesting: 0 }] }) }, '/sandbox/project');
    expect(describeRunaway(fileOnly!)).toBe('test/a.test.mjs');
  });

  it('ignores a missing, empty or forged progress file', () => {
    expect(runawayFromProbe({}, '/sandbox/project')).toBeUndefined();
    expect(runawayFromProbe({ running: 'not json' }, '/sandbox/project')).toBeUndefined();
    expect(runawayFromProbe({ running: JSON.stringify({ tests: [] }) }, '/sandbox/project')).toBeUndefined();
    expect(runawayFromProbe({ running: JSON.stringify({ tests: [{ name: 7 }] }) }, '/sandbox/project')).toBeUndefined();
  });

  it('caps a huge stack dump', () => {
    const runaway = runawayFromProbe({ running: JSON.stringify({ tests: [{ name: 't' }] }), stacks: `Timeout (0:00:01)!\n${'  File "x.py", line 1 in f\n'.repeat(5_000)}` }, '/sandbox/project');
    expect(runaway?.stacks?.length).toBeLessThan(8_200);
    expect(runaway?.stacks).toMatch(/more characters cut\]$/);
  });

  it('dumps about 20 times within the time limit, 0.5 to 30 s apart', () => {
    expect(stacksIntervalSeconds(3_000)).toBe(0.5);
    expect(stacksIntervalSeconds(300_000)).toBe(15);
    expect(stacksIntervalSeconds(3_600_000)).toBe(30);
  });
});

describe('the node --test probe, run by the host node', () => {
  const tempDir = useTempDirs();

  it('writes the junit report, and leaves the test that never finished in running.json (nothing when all finish)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, nodeProbeFile), nodeProbeSource);
    writeFileSync(join(dir, 'hang.test.mjs'), "import { test, describe } from 'node:test';\ndescribe('suite', () => {\n  test('fine', () => {});\n  test('waits forever', async () => { await new Promise(() => {}); });\n});\n");
    writeFileSync(join(dir, 'ok.test.mjs'), "import { test } from 'node:test';\ntest('fine', () => {});\n");
    const run = (file: string, killAfterMs: number) =>
      new Promise<void>((resolve) => {
        const child = spawn(process.execPath, ['--test', `--test-reporter=./${nodeProbeFile}`, `--test-reporter-destination=${join(dir, 'out', 'junit.xml')}`, file], { cwd: dir, env: { PATH: process.env.PATH, SANDBOX_OUT: join(dir, 'out') }, stdio: 'ignore', detached: true });
        // `node --test` runs each file in a child of its own: the whole group is killed, so no test file is left running after this test.
        const timer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), killAfterMs);
        child.on('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    await run('ok.test.mjs', 20_000);
    expect(() => readFileSync(join(dir, 'out', 'running.json'))).toThrow();
    // It is the run's junit reporter too.
    expect(parseJunit(readFileSync(join(dir, 'out', 'junit.xml'), 'utf8')).cases).toMatchObject([{ name: 'test::fine', status: 'passed' }]);
    await run('hang.test.mjs', 3_000);
    const runaway = runawayFromProbe({ running: readFileSync(join(dir, 'out', 'running.json'), 'utf8') }, dir);
    expect(runaway).toEqual({ name: 'waits forever', file: 'hang.test.mjs', line: 4 });
  }, 30_000);
});
