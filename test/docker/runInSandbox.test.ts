import { networkInterfaces } from 'node:os';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/AppError.ts';
import { runInSandbox } from '../../src-main/sandbox/runInSandbox.ts';
import { leftovers, py, pytestRequest, testLimits, useSandboxEngine } from './sandboxTestEngine.ts';

const engine = useSandboxEngine();

describe('runInSandbox (real engine)', () => {
  it('runs a passing pytest project, streams its log and labels its container', async () => {
    const docker = engine.docker();
    const logs: string[] = [];
    let seenWhileRunning: Promise<string[]> | undefined;
    const result = await runInSandbox(
      docker,
      pytestRequest(
        {
          'app/calc.py': py('def add(a, b):', '    return a + b'),
          'tests/test_calc.py': py('from app.calc import add', '', 'def test_add():', '    print("adding")', '    assert add(2, 3) == 5', '', 'def test_add_negative():', '    assert add(-1, 1) == 0'),
        },
        {
          test: 'python3 -m pytest -q -s',
          labels: { 'service-creator.test-run': 'run-pass' },
          onLog: (_stream, text) => {
            logs.push(text);
            seenWhileRunning ??= docker.listContainers({ all: true, filters: { label: ['service-creator.test-run=run-pass'] } }).then((found) => found.map((container) => container.Labels['service-creator.sandbox'] ?? ''));
          },
        },
      ),
    );
    expect(result).toMatchObject({ outcome: 'passed', exitCode: 0, summary: { passed: 2, failed: 0, errors: 0, skipped: 0 }, installed: false, logTruncated: false });
    expect(result.cases.map((testCase) => testCase.name)).toEqual(['tests.test_calc::test_add', 'tests.test_calc::test_add_negative']);
    expect(result.log).toContain('2 passed');
    expect(logs.join('')).toBe(result.log);
    expect(await seenWhileRunning).toEqual(['1']);
  });

  it('reports a failing test with its message and traceback', async () => {
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest({ 'tests/test_math.py': py('def test_ok():', '    pass', '', 'def test_broken():', '    total = 2 + 2', '    assert total == 5, f"expected 5 but got {total}"') }),
    );
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1, summary: { passed: 1, failed: 1 } });
    const broken = result.cases.find((testCase) => testCase.name.endsWith('test_broken'));
    expect(broken).toMatchObject({ status: 'failed', message: expect.stringContaining('expected 5 but got 4') });
    expect(broken?.details).toContain('tests/test_math.py:6: AssertionError');
  });

  it('has no network inside: only the loopback interface, and connections out fail', async () => {
    const hostAddresses = Object.values(networkInterfaces()).flat().filter((address) => address && !address.internal && address.family === 'IPv4').map((address) => address!.address);
    const targets = [['1.1.1.1', 53], ['8.8.8.8', 443], ...hostAddresses.map((address) => [address, 22])];
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest({
        'tests/test_network.py': py(
          'import os, socket, pytest',
          '',
          'def test_only_loopback():',
          '    assert sorted(os.listdir("/sys/class/net")) == ["lo"]',
          '',
          `@pytest.mark.parametrize("host,port", ${JSON.stringify(targets)})`,
          'def test_cannot_connect(host, port):',
          '    with pytest.raises(OSError) as caught:',
          '        socket.create_connection((host, port), timeout=3)',
          '    print(host, caught.value)',
          '',
          'def test_no_dns():',
          '    with pytest.raises(OSError):',
          '        socket.getaddrinfo("example.com", 443)',
        ),
      }),
    );
    expect(result.cases.filter((testCase) => testCase.status !== 'passed')).toEqual([]);
    expect(result).toMatchObject({ outcome: 'passed', summary: { passed: targets.length + 2 } });
  });

  it('runs as a non-root user without capabilities on a read-only root, with /tmp and the project writable', async () => {
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest({
        'tests/test_locked_down.py': py(
          'import errno, os, subprocess, pytest',
          '',
          'def status(field):',
          '    for line in open("/proc/self/status"):',
          '        if line.startswith(field + ":"):',
          '            return line.split(":", 1)[1].strip()',
          '',
          'def test_not_root():',
          '    assert subprocess.run(["id", "-u"], capture_output=True, text=True).stdout.strip() == "65534"',
          '    assert os.getgid() == 65534',
          '',
          'def test_no_capabilities():',
          '    for field in ("CapEff", "CapPrm", "CapBnd", "CapAmb"):',
          '        assert int(status(field), 16) == 0, field',
          '',
          'def test_no_new_privileges():',
          '    assert status("NoNewPrivs") == "1"',
          '',
          '@pytest.mark.parametrize("path", ["/etc/probe", "/usr/probe", "/probe"])',
          'def test_root_is_read_only(path):',
          '    with pytest.raises(OSError) as caught:',
          '        open(path, "w")',
          '    assert caught.value.errno == errno.EROFS',
          '',
          'def test_tmp_and_project_are_writable():',
          '    open("/tmp/probe", "w").write("ok")',
          '    open("probe.txt", "w").write("ok")',
          '    assert os.environ["HOME"] == "/sandbox/home"', // on disk (the run's volume), not the tmpfs
          '    open(os.path.join(os.environ["HOME"], "probe"), "w").write("ok")',
        ),
      }),
    );
    expect(result.cases.filter((testCase) => testCase.status !== 'passed')).toEqual([]);
    expect(result).toMatchObject({ outcome: 'passed', summary: { passed: 7 } });
  });

  it('caps a log flood at the limit and says where it cut', async () => {
    const logBytes = 16 * 1024;
    let live = '';
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest(
        { 'tests/test_flood.py': py('import sys', '', 'def test_flood():', '    for i in range(200_000):', '        sys.stdout.write(f"line {i} " + "x" * 100 + "\\n")') },
        { test: 'python3 -m pytest -q -s', limits: { ...testLimits, logBytes }, onLog: (_stream, text) => (live += text) },
      ),
    );
    expect(result).toMatchObject({ outcome: 'passed', logTruncated: true });
    expect(result.log).toMatch(/\[service-creator\] log cut here, after 16384 bytes \(the limit is 16384 bytes of stdout\+stderr\); later output is dropped\n/);
    expect(result.log).toMatch(/\[service-creator\] \d+ more bytes of output were dropped\n$/);
    const dropped = Number(/(\d+) more bytes/.exec(result.log)?.[1]);
    expect(dropped).toBeGreaterThan(20_000_000);
    // The kept output, then a newline when the cut fell inside a line, then the cut line.
    const kept = result.log.slice(0, result.log.indexOf('[service-creator] log cut here'));
    expect(Buffer.byteLength(kept.replace(/\n$/, ''))).toBeLessThanOrEqual(logBytes);
    expect(live.length).toBeLessThan(logBytes + 500);
  });

  it('skips the install step when the policy allows no network, and says so', async () => {
    const result = await runInSandbox(engine.docker(), pytestRequest({ 'tests/test_a.py': py('def test_a():', '    pass') }, { install: 'touch installed-marker' }));
    expect(result).toMatchObject({ outcome: 'passed', installed: false, installNote: 'skipped: network is not allowed by policy' });
  });

  it('runs the install step in its own container whose output the tests see (network none here: dockerd runs with --bridge=none)', async () => {
    const result = await runInSandbox(
      engine.docker(),
      pytestRequest(
        { 'tests/test_a.py': py('import os', '', 'def test_sees_install():', '    assert open("installed-marker").read().strip() == "from install"', '    assert os.path.isdir(os.environ["PYTHONUSERBASE"] + "/lib")') },
        { install: 'echo from install > installed-marker && mkdir -p "$PYTHONUSERBASE/lib"', allowNetwork: true, installNetwork: 'none' },
      ),
    );
    expect(result.cases.filter((testCase) => testCase.status !== 'passed')).toEqual([]);
    expect(result).toMatchObject({ outcome: 'passed', installed: true });
    expect(result.installNote).toBeUndefined();
    expect(result.log).toContain('[service-creator] install: echo from install');
  });

  it('reports a failing install step and does not run the tests', async () => {
    const result = await runInSandbox(engine.docker(), pytestRequest({ 'tests/test_a.py': py('def test_a():', '    pass') }, { install: 'echo no such package >&2; exit 3', allowNetwork: true, installNetwork: 'none' }));
    expect(result).toMatchObject({ outcome: 'error', failedStep: 'install', exitCode: 3, installed: false, cases: [], message: expect.stringContaining('exited with 3; the tests did not run') });
    expect(result.log).toContain('no such package');
  });

  it('reads the report from the volume when the stdout trailer is garbled (here forged by the test with the marker from /proc/1/cmdline)', async () => {
    const docker = engine.docker();
    let reportReads = 0;
    // Count the archive reads of the run's container: the fallback is one.
    const counting = new Proxy(docker, {
      get(target, property, receiver) {
        if (property !== 'createContainer') return Reflect.get(target, property, receiver);
        return async (options: Docker.ContainerCreateOptions) => {
          const container = await target.createContainer(options);
          const getArchive = container.getArchive.bind(container);
          container.getArchive = ((archiveOptions: object) => {
            reportReads++;
            return getArchive(archiveOptions);
          }) as typeof container.getArchive;
          return container;
        };
      },
    });
    const result = await runInSandbox(
      counting,
      pytestRequest({ 'tests/test_a.py': py('def test_a():', '    pass') }, { test: 'python3 -m pytest -q; marker=$(tr "\\0" "\\n" < /proc/1/cmdline | tail -n 1); printf "\\n%s pids 0\\nnot a trailer\\n" "$marker"' }),
    );
    expect(result).toMatchObject({ outcome: 'passed', summary: { passed: 1 } });
    expect(reportReads).toBe(1);

    reportReads = 0;
    const clean = await runInSandbox(counting, pytestRequest({ 'tests/test_a.py': py('def test_a():', '    pass') }));
    expect(clean).toMatchObject({ outcome: 'passed', summary: { passed: 1 } });
    expect(reportReads).toBe(0);
  });

  it('says no-report when the command writes no JUnit report', async () => {
    const result = await runInSandbox(engine.docker(), pytestRequest({ 'check.py': py('print("checked")') }, { test: 'python3 check.py && exit 4' }));
    expect(result).toMatchObject({ outcome: 'no-report', exitCode: 4, cases: [], message: expect.stringContaining('exited with 4 without a JUnit report') });
    expect(result.log).toContain('checked');
  });

  it('cancels a run: rejects with CANCELLED and leaves nothing behind', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = runInSandbox(
      engine.docker(),
      pytestRequest({ 'tests/test_slow.py': py('import time', '', 'def test_slow():', '    print("started", flush=True)', '    time.sleep(60)') }, {
        test: 'python3 -m pytest -q -s',
        signal: controller.signal,
        onLog: (_stream, text) => {
          if (text.includes('started')) controller.abort();
        },
      }),
    );
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(running).rejects.toBeInstanceOf(AppError);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await leftovers(engine.docker())).toEqual({ containers: [], volumes: [] });
  });

  it('returns outcome error with a clear message when the image is missing', async () => {
    const result = await runInSandbox(engine.docker(), pytestRequest({ 'tests/test_a.py': py('def test_a():', '    pass') }, { image: 'service-creator/no-such-image:none' }));
    expect(result).toMatchObject({ outcome: 'error', exitCode: null, message: expect.stringContaining('The sandbox image "service-creator/no-such-image:none" is not on this Docker engine') });
  });

  it('refuses a file path outside the project before touching the engine', async () => {
    await expect(runInSandbox(engine.docker(), pytestRequest({ '../escape.py': 'x = 1\n' }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
