import { describe, expect, it } from 'vitest';
import { runInSandbox } from '../../src-main/sandbox/runInSandbox.ts';
import { py, pytestRequest, testLimits, useSandboxEngine } from './sandboxTestEngine.ts';

const engine = useSandboxEngine();

/**
 * Issue 12: /tmp was a tmpfs counted against the memory limit, and pytest captures output in a
 * temporary file, so a test printing 200 MiB ended as "out of memory". Temporary files now go
 * to disk (the run's volume); the log is capped and says where it was cut.
 */
describe('temporary space in the sandbox (real engine)', () => {
  it('a test that prints 200 MiB passes under the default 512 MiB limit (captured by pytest, then printed and cut where the log says)', async () => {
    const print200MiB = py('import sys', '', 'def test_chatty():', '    line = "x" * 1023 + "\\n"', '    for _ in range(200 * 1024):', '        sys.stdout.write(line)', '    assert True');
    // Captured by pytest (a temporary file), then the same test run again uncaptured (-s): the
    // 200 MiB reach the log, which is cut.
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest({ 'tests/test_chatty.py': print200MiB }, { test: 'python3 -m pytest -q >/dev/null && python3 -m pytest -q -s', limits: { ...testLimits, memoryBytes: 512 * 1024 * 1024, timeoutMs: 120_000 } }),
    );
    expect(result.message ?? '', result.log.slice(-2000)).toBe('');
    expect(result).toMatchObject({ outcome: 'passed', summary: { passed: 1 }, logTruncated: true });
    expect(result.log).toMatch(/\[service-creator\] log cut here, after \d+ bytes \(the limit is 65536 bytes/);
    expect(result.log).toMatch(/\[service-creator\] \d+ more bytes of output were dropped/);
  }, 180_000);

  it('HOME, the pip cache and tempfile all land on disk, not in memory', async () => {
    const where = py(
      'import os, tempfile',
      '',
      'def test_where():',
      '    assert tempfile.gettempdir().startswith("/sandbox/")',
      '    assert os.environ["HOME"].startswith("/sandbox/")',
      '    with open(os.path.join(os.environ["HOME"], "note"), "w") as handle:',
      '        handle.write("ok")',
    );
    const result = await runInSandbox(engine.docker(), pytestRequest({ 'tests/test_where.py': where }, { test: 'python3 -m pytest -q' }));
    expect(result.outcome, result.log).toBe('passed');
  }, 120_000);
});
