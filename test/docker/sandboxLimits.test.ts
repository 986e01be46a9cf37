import { describe, expect, it } from 'vitest';
import { runInSandbox } from '../../src-main/sandbox/runInSandbox.ts';
import { ensureStandInNodeImage } from '../support/standInNodeImage.ts';
import { py, pytestRequest, pythonImage, testLimits, useSandboxEngine } from './sandboxTestEngine.ts';

const engine = useSandboxEngine();

/** Each runaway is stopped by its own limit; the host and the other limits are untouched. */
describe('sandbox limits (real engine)', () => {
  it('stops an infinite loop at the wall-clock limit: timeout', async () => {
    const started = Date.now();
    const result = await runInSandbox(engine.docker(), pytestRequest({ 'tests/test_loop.py': py('def test_fine():', '    pass', '', 'def test_loop():', '    while True:', '        pass') }, { limits: { ...testLimits, timeoutMs: 3_000 } }));
    expect(result).toMatchObject({
      outcome: 'timeout',
      exitCode: null,
      runaway: { name: 'tests/test_loop.py::test_loop', file: 'tests/test_loop.py', line: 4 },
    });
    // The stack dump is taken while the loop runs, innermost frame first: on either line of the
    // loop (`while True:` or its `pass`), wherever the sample lands.
    expect(result.message).toMatch(/^The tests ran past the 3 s limit and were stopped; tests\/test_loop\.py::test_loop \(at tests\/test_loop\.py line [56], in test_loop\) was running$/);
    expect(result.runaway?.stacks).toMatch(/^Timeout \(.*\n.*\n\s+File "tests\/test_loop.py", line [56] in test_loop/);
    expect(result.durationMs).toBeGreaterThanOrEqual(3_000);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('names the test and the project frames when the loop is in the code under test', async () => {
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest(
        {
          'app/__init__.py': '',
          'app/retry.py': py('def wait_until(limit):', '    tries = 0', '    while tries < limit:', '        tries -= 1'),
          'tests/test_retry.py': py('from app.retry import wait_until', '', 'def test_wait():', '    wait_until(3)'),
        },
        { limits: { ...testLimits, timeoutMs: 3_000 } },
      ),
    );
    expect(result).toMatchObject({ outcome: 'timeout', runaway: { name: 'tests/test_retry.py::test_wait', file: 'tests/test_retry.py' } });
    expect(result.message).toMatch(/tests\/test_retry\.py::test_wait \(at app\/retry\.py line [34], in wait_until\) was running$/);
    expect(result.runaway?.stacks).toMatch(/File "app\/retry.py", line [34] in wait_until\n\s+File "tests\/test_retry.py", line 4 in test_wait/);
  });

  it('names the runaway test when the command sets PYTHONPATH itself', async () => {
    const result = await runInSandbox(engine.docker(), pytestRequest({ 'tests/test_loop.py': py('def test_loop():', '    while True:', '        pass') }, { test: 'PYTHONPATH=. python3 -m pytest -q', limits: { ...testLimits, timeoutMs: 3_000 } }));
    expect(result).toMatchObject({ outcome: 'timeout', runaway: { name: 'tests/test_loop.py::test_loop' } });
  });

  it('names the node --test test that never finishes, by its probe reporter', async () => {
    const image = await ensureStandInNodeImage(engine.docker(), pythonImage);
    const result = await runInSandbox(engine.docker(), {
      files: [
        { path: 'package.json', content: '{ "type": "module" }\n' },
        { path: 'test/app.test.js', content: "import { test } from 'node:test';\n\ntest('fine', () => {});\ntest('waits forever', async () => {\n  await new Promise(() => {});\n});\n" },
      ],
      image,
      language: 'node',
      allowNetwork: false,
      test: 'node --test',
      limits: { ...testLimits, timeoutMs: 4_000 },
    });
    expect(result).toMatchObject({
      outcome: 'timeout',
      message: 'The tests ran past the 4 s limit and were stopped; waits forever (at test/app.test.js line 4) was running',
      runaway: { name: 'waits forever', file: 'test/app.test.js', line: 4 },
    });
    // One reporter writes the junit report and watches: Node does not warn about its listeners.
    expect(result.log).not.toContain('MaxListenersExceededWarning');
  }, 180_000);

  it('a run that ends in time leaves no runaway behind', async () => {
    const result = await runInSandbox(engine.docker(), pytestRequest({ 'tests/test_a.py': py('import time', '', 'def test_a():', '    time.sleep(1.2)') }, { limits: { ...testLimits, timeoutMs: 20_000 } }));
    expect(result).toMatchObject({ outcome: 'passed' });
    expect(result.runaway).toBeUndefined();
  });

  it('contains a fork bomb that never ends with the pids limit: pids', async () => {
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest(
        { 'tests/test_bomb.py': py('import os, time', '', 'def test_bomb():', '    while True:', '        try:', '            os.fork()', '        except OSError:', '            time.sleep(0.01)') },
        { limits: { ...testLimits, pids: 48, timeoutMs: 3_000 } },
      ),
    );
    expect(result).toMatchObject({ outcome: 'pids', exitCode: null, message: expect.stringContaining('limit of 48 processes and threads') });
  });

  it('reports a fork bomb whose test gives up as pids, from the cgroup counter', async () => {
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest({
        'tests/test_bomb.py': py(
          'import os, time',
          '',
          'def test_bomb():',
          '    for _ in range(10_000):',
          '        if os.fork() == 0:',
          '            time.sleep(60)',
          '            os._exit(0)',
        ),
      }, { limits: { ...testLimits, pids: 48 } }),
    );
    expect(result).toMatchObject({ outcome: 'pids', exitCode: 1, message: expect.stringContaining('limit of 48 processes and threads') });
    expect(result.cases[0]).toMatchObject({ status: 'failed', message: expect.stringContaining('Resource temporarily unavailable') });
  });

  it('kills a memory hog at the memory limit (no swap): oom', async () => {
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest({ 'tests/test_hog.py': py('def test_hog():', '    chunks = []', '    while True:', '        chunks.append(b"x" * (16 * 1024 * 1024))') }, { limits: { ...testLimits, memoryBytes: 128 * 1024 * 1024 } }),
    );
    expect(result).toMatchObject({
      outcome: 'oom',
      exitCode: 137,
      message: 'A process ran out of memory (limit 128 MiB) and the kernel killed it; tests/test_hog.py::test_hog (at tests/test_hog.py line 1) was running',
      runaway: { name: 'tests/test_hog.py::test_hog', file: 'tests/test_hog.py', line: 1 },
    });
    expect(result.limits).toEqual({ ...testLimits, memoryBytes: 128 * 1024 * 1024 });
  });

  it('gives the container one CPU and the memory and pids limits asked for', async () => {
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest({
        'tests/test_limits.py': py(
          'def read(*paths):',
          '    for path in paths:',
          '        try:',
          '            return open(path).read().split()',
          '        except OSError:',
          '            pass',
          '',
          'def test_pids_max():',
          '    assert read("/sys/fs/cgroup/pids.max", "/sys/fs/cgroup/pids/pids.max") == ["64"]',
          '',
          'def test_memory_max():',
          '    assert read("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes") == [str(256 * 1024 * 1024)]',
          '',
          'def test_cpu_max():',
          '    v2 = read("/sys/fs/cgroup/cpu.max")',
          '    if v2:',
          '        quota, period = v2',
          '    else:',
          '        quota, period = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")[0], read("/sys/fs/cgroup/cpu/cpu.cfs_period_us")[0]',
          '    assert int(quota) / int(period) == 1',
        ),
      }),
    );
    expect(result.cases.filter((testCase) => testCase.status !== 'passed')).toEqual([]);
    expect(result).toMatchObject({ outcome: 'passed', summary: { passed: 3 } });
  });
});
