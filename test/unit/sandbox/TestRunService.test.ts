import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import type { SandboxRunner } from '../../../src-main/sandbox/TestRunService.ts';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import type { SandboxResult, TestRunView } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { coreCaller } from '../../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../../support/pipelineProject.ts';
import { pipelineResponder } from '../../support/pipelineResponder.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * The test-run bookkeeping around the sandbox, with the container runner replaced by a double
 * the test drives (the real runner is tested against Docker in test/docker/).
 */
describe('TestRunService', () => {
  const tempDir = useTempDirs();
  const open: { core: Core; server: FakeServer }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core.dispose();
      await item.server.close();
    }
  });

  function controllableRunner(engineOk = true) {
    let finish: (result: SandboxResult) => void = () => undefined;
    let log: (text: string) => void = () => undefined;
    const requests: Parameters<SandboxRunner['run']>[0][] = [];
    const runner: SandboxRunner = {
      status: async () => (engineOk ? { ok: true, version: '28', apiVersion: '1.50', os: 'linux/amd64', endpoint: 'unix:///fake.sock' } : { ok: false, message: 'Docker is not running: start Docker Desktop or dockerd', endpoint: 'unix:///fake.sock' }),
      run: (request) => {
        requests.push(request);
        log = (text) => request.onLog?.('stdout', text);
        return new Promise<SandboxResult>((resolve) => (finish = resolve));
      },
    };
    return { runner, requests, log: (text: string) => log(text), finish: (result: SandboxResult) => finish(result) };
  }

  async function doneRun(runner: SandboxRunner) {
    const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles });
    const server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
    const core = createCore({ dataDir: tempDir(), host: 'cli', env: { FAKE_KEY: 'k' }, sandboxRunner: runner });
    open.push({ core, server });
    const call = coreCaller(core);
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall' } });
    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });
    await call('pipeline.start', { runId: planned.id });
    return { call, run: await call<RunView>('pipeline.wait', { runId: planned.id }) };
  }

  const passed: SandboxResult = {
    outcome: 'passed',
    exitCode: 0,
    cases: [{ name: 'tests.test_store::test_add_and_list', status: 'passed', durationMs: 3 }],
    summary: { passed: 1, failed: 0, errors: 0, skipped: 0 },
    log: 'collected 1 item\n1 passed\n',
    logTruncated: false,
    durationMs: 420,
    image: 'service-creator/sandbox-python:dev',
    installed: false,
    installNote: 'skipped: network is not allowed by policy',
  };

  it('sends the run\'s files and plan commands, shows the log so far while running, and stores the result', async () => {
    const sandbox = controllableRunner();
    const { call, run } = await doneRun(sandbox.runner);
    const started = await call<TestRunView>('tests.run', { runId: run.id, timeoutSeconds: 30 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const request = sandbox.requests[0];
    expect(request).toMatchObject({ image: 'service-creator/sandbox-python:dev', language: 'python', test: 'pytest -q', install: 'pip install -r requirements.txt', allowNetwork: false, limits: { timeoutMs: 30_000, memoryBytes: 512 * 1024 * 1024, pids: 256 } });
    expect(Object.fromEntries((request?.files ?? []).filter((file) => file.path in firewallFiles).map((file) => [file.path, file.content]))).toEqual(firewallFiles);
    sandbox.log('collected 1 item\n');
    expect(await call<TestRunView>('tests.get', { testRunId: started.id })).toMatchObject({ status: 'running', log: 'collected 1 item\n', result: null });
    sandbox.finish(passed);
    const done = await call<TestRunView>('tests.wait', { testRunId: started.id });
    expect(done).toMatchObject({ status: 'finished', log: passed.log, result: { outcome: 'passed', summary: { passed: 1 } } });
    expect((await call<TestRunView[]>('tests.list', { runId: run.id }))[0]).toMatchObject({ id: started.id, log: '' });
  });

  it('refuses to start without an engine, storing nothing', async () => {
    const { call, run } = await doneRun(controllableRunner(false).runner);
    await expect(call('tests.run', { runId: run.id })).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE', message: expect.stringMatching(/^Docker is not running/) });
    await expect(call('repair.start', { runId: run.id })).rejects.toMatchObject({ code: 'SANDBOX_UNAVAILABLE' });
    expect(await call('tests.list', { runId: run.id })).toEqual([]);
  });
});
