import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { RunView } from '../../src-shared/pipeline/pipelineTypes.ts';
import type { RepairView, TestRunView } from '../../src-shared/sandbox/sandboxTypes.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../support/interviewScript.ts';
import { buggyFirewallStore, firewallFiles, firewallPlan } from '../support/pipelineProject.ts';
import { pipelineResponder } from '../support/pipelineResponder.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

/**
 * Generated projects tested in the real sandbox (Docker engine + the offline Python image), and
 * the repair loop turning a red project green with scripted `fix` answers from a loopback server.
 */

describe('tests and repair in the sandbox', () => {
  const tempDir = useTempDirs();
  const open: { core: Core; server: FakeServer }[] = [];

  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core.dispose();
      await item.server.close();
    }
    const left = await new Docker().listContainers({ all: true, filters: { label: ['service-creator.sandbox'] } });
    expect(left).toEqual([]);
  });

  async function generated(files: Record<string, string | string[]>) {
    const responder = pipelineResponder({ plan: firewallPlan, files });
    const server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
    const core = createCore({ dataDir: tempDir(), host: 'cli', env: { ...process.env, FAKE_KEY: 'k' }, routerOptions: { baseDelayMs: 1, maxDelayMs: 5 } });
    open.push({ core, server });
    const call = coreCaller(core);
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall' } });
    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });
    await call('pipeline.start', { runId: planned.id });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');
    return { call, responder, run };
  }

  it('runs a generated project\'s own tests: all pass, each case reported', async () => {
    const { call, run } = await generated(firewallFiles);
    expect(await call('sandbox.status')).toMatchObject({ ok: true });
    const started = await call<TestRunView>('tests.run', { runId: run.id });
    const done = await call<TestRunView>('tests.wait', { testRunId: started.id });
    expect(done.result).toMatchObject({ outcome: 'passed', summary: { passed: 2, failed: 0, errors: 0 }, installed: false });
    expect(done.result?.installNote).toMatch(/network/);
    expect(done.result?.cases.map((testCase) => testCase.status)).toEqual(['passed', 'passed']);
    expect((await call<TestRunView[]>('tests.list', { runId: run.id })).map((testRun) => testRun.id)).toEqual([started.id]);
  });

  it('the repair loop turns a red project green with a scripted fix, recording each round', async () => {
    const { call, responder, run } = await generated({ ...firewallFiles, 'app/store.py': [buggyFirewallStore, firewallFiles['app/store.py'] ?? ''] });
    const started = await call<RepairView>('repair.start', { runId: run.id, rounds: 3 });
    const repair = await call<RepairView>('repair.wait', { repairId: started.id });
    expect(repair).toMatchObject({ status: 'green', note: 'Green after 1 round(s)' });
    expect(repair.rounds.map((round) => [round.round, round.failed])).toEqual([
      [0, 2],
      [1, 0],
    ]);
    expect(repair.rounds[1]?.changed).toContainEqual({ path: 'app/store.py', outcome: 'changed' });
    expect(responder.count('fix:app/store.py')).toBe(1);
    const versions = await call<{ reason: string; content: string }[]>('pipeline.fileVersions', { runId: run.id, path: 'app/store.py' });
    expect(versions.at(-1)).toMatchObject({ reason: 'repair', content: firewallFiles['app/store.py'] });
  });

  it('stops early when a round makes no progress', async () => {
    // Every fix answer repeats the bug: the file is unchanged, so the loop stops after one round.
    const { call, run } = await generated({ ...firewallFiles, 'app/store.py': buggyFirewallStore });
    const started = await call<RepairView>('repair.start', { runId: run.id, rounds: 3 });
    const repair = await call<RepairView>('repair.wait', { repairId: started.id });
    expect(repair).toMatchObject({ status: 'stopped', note: 'Round 1 produced no usable change' });
    expect(repair.rounds).toHaveLength(2);
  });
});
