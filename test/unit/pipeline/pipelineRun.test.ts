import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import type { PipelineEvent, RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../../support/pipelineProject.ts';
import { pipelineResponder, type PipelineScript } from '../../support/pipelineResponder.ts';
import { coreCaller } from '../../support/coreCaller.ts';
import { readFiles } from '../../support/readTree.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * Whole generation runs through the core's channels, the router and the real OpenAI SDK against
 * a loopback server that answers each pipeline prompt from a script, with the real validators.
 */
describe('generation pipeline through the router', () => {
  const tempDir = useTempDirs();
  const open: { core?: Core; server?: FakeServer }[] = [];

  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core?.dispose();
      await item.server?.close();
    }
  });

  async function setup(script: Partial<PipelineScript> = {}, dataDir = tempDir()) {
    const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles, ...script });
    const server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
    const core = createCore({ dataDir, host: 'cli', env: { FAKE_KEY: 'k' }, routerOptions: { baseDelayMs: 1, maxDelayMs: 5 } });
    open.push({ core, server });
    const call = coreCaller(core);
    const config = { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' };
    const existing = (await call<{ id: string }[]>('projects.list')).at(0);
    if (existing) {
      // A second core on the same data: the provider now points at this test's new server.
      await call('providers.update', { config });
      return { server, core, call, responder, projectId: existing.id, dataDir };
    }
    await call('providers.add', { config });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall' } });
    return { server, core, call, responder, projectId: project.id, dataDir };
  }


  it('plans, writes every file once in dependency order, checks, documents and exports with provenance', async () => {
    const { call, responder, projectId } = await setup();
    const planned = await call<RunView>('pipeline.plan', { projectId });
    expect(planned).toMatchObject({ status: 'planned', phase: 'plan', plan: firewallPlan });
    expect(planned.files.map((file) => file.status)).toEqual(firewallPlan.files.map(() => 'pending'));

    await call('pipeline.start', { runId: planned.id, concurrency: 3 });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.files.filter((file) => file.status !== "done")).toEqual([]);
    expect(run.error).toBeUndefined();
    expect(run).toMatchObject({ status: 'done', phase: 'done', progress: { done: 9, total: 9 } });
    expect(run.files.map((file) => [file.path, file.status, file.attempts, file.problems])).toEqual(
      [...firewallPlan.files.map((file) => file.path), 'README.md', 'API.md'].map((path) => [path, 'done', 1, []]),
    );
    for (const file of firewallPlan.files) expect(responder.count(`generate:${file.path}`)).toBe(1);
    expect(responder.count('review')).toBe(1);
    expect(run.findings).toEqual([]);

    const outDir = join(tempDir(), 'edge-firewall');
    const exported = await call<{ path: string; files: number }>('pipeline.export', { runId: run.id, outDir });
    expect(exported.files).toBe(10);
    const written = readFiles(outDir);
    for (const [path, content] of Object.entries(firewallFiles)) expect(written[path]).toBe(content);
    expect(written['README.md']).toContain('# README');
    const provenance = JSON.parse(written['.service-creator/provenance.json'] ?? '{}') as { runId: string; plan: { promptVersion: string }; files: { path: string; providerId: string; model: string; promptVersion: string; attempts: number; validation: { ok: boolean } }[] };
    expect(provenance.runId).toBe(run.id);
    expect(provenance.plan.promptVersion).toMatch(/^plan@2#[0-9a-f]{12}$/);
    expect(provenance.files.find((file) => file.path === 'app/store.py')).toMatchObject({ providerId: 'fake', model: 'scripted', promptVersion: expect.stringMatching(/^generate-file@1#[0-9a-f]{12}$/), attempts: 1, validation: { ok: true } });
    await expect(call('pipeline.export', { runId: run.id, outDir })).rejects.toMatchObject({ code: 'TARGET_NOT_EMPTY', message: `${outDir} is not empty; nothing was written` });
  });

  it('refuses to plan an incomplete spec, saying what is missing', async () => {
    const { call } = await setup();
    const other = await call<{ id: string }>('projects.create', { name: 'Empty' });
    await expect(call('pipeline.plan', { projectId: other.id })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^The spec is not complete yet.*serviceType/) });
  });

  it('repairs a file with a syntax error through a fix prompt naming the error', async () => {
    const broken = 'from app.models import Rule\n\n\nclass RuleStore\n    pass\n';
    const { call, server, responder, projectId } = await setup({ files: { ...firewallFiles, 'app/store.py': [broken, firewallFiles['app/store.py'] ?? ''] } });
    const planned = await call<RunView>('pipeline.plan', { projectId });
    await call('pipeline.start', { runId: planned.id });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');
    expect(responder.count('fix:app/store.py')).toBe(1);
    expect(run.files.find((file) => file.path === 'app/store.py')).toMatchObject({ status: 'done', attempts: 2, problems: [] });
    const fixRequest = server.requests.find((request) => JSON.stringify(request.json ?? '').includes('Write the complete corrected content of app/store.py'));
    expect(JSON.stringify(fixRequest?.json)).toMatch(/line 4/);
    const versions = await call<{ reason: string; problems: unknown[] }[]>('pipeline.fileVersions', { runId: run.id, path: 'app/store.py' });
    expect(versions.map((version) => [version.reason, version.problems.length > 0])).toEqual([
      ['generate', true],
      ['fix', false],
    ]);
  });

  it('finds an import of a symbol the other file does not define, and stores the finding', async () => {
    const wrong = (firewallFiles['tests/test_store.py'] ?? '').replace('from app.store import RuleStore', 'from app.store import RuleStore, RuleIndex');
    const { call, responder, projectId } = await setup({ files: { ...firewallFiles, 'tests/test_store.py': [wrong, firewallFiles['tests/test_store.py'] ?? ''] } });
    const planned = await call<RunView>('pipeline.plan', { projectId });
    await call('pipeline.start', { runId: planned.id });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.findings[0]).toMatchObject({ source: 'static', path: 'tests/test_store.py', message: expect.stringMatching(/RuleIndex/), status: 'fixed' });
    expect(responder.count('fix:tests/test_store.py')).toBe(1);
    expect(run.status).toBe('done');
  });

  it('refuses a plan edit with traversal, a case clash or a cycle, naming the file, and keeps the old plan', async () => {
    const { call, projectId } = await setup();
    const planned = await call<RunView>('pipeline.plan', { projectId });
    const withFile = (file: Partial<(typeof firewallPlan.files)[number]>) => ({ ...firewallPlan, files: [...firewallPlan.files, { path: 'x.py', purpose: 'x', language: 'python', kind: 'source', dependsOn: [], exports: [], ...file }] });
    await expect(call('pipeline.updatePlan', { runId: planned.id, plan: withFile({ path: '../evil.py' }) })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/\.\.\/evil\.py/) });
    await expect(call('pipeline.updatePlan', { runId: planned.id, plan: withFile({ path: 'APP/Models.py' }) })).rejects.toMatchObject({ message: expect.stringMatching(/APP\/Models\.py/) });
    await expect(call('pipeline.updatePlan', { runId: planned.id, plan: withFile({ path: 'C:/x.py' }) })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(call('pipeline.updatePlan', { runId: planned.id, plan: withFile({ path: 'con.py' }) })).rejects.toMatchObject({ message: expect.stringMatching(/con\.py/) });
    const cyclic = { ...firewallPlan, files: firewallPlan.files.map((file) => (file.path === 'app/models.py' ? { ...file, dependsOn: ['app/store.py'] } : file)) };
    await expect(call('pipeline.updatePlan', { runId: planned.id, plan: cyclic })).rejects.toMatchObject({ message: expect.stringMatching(/cycle/i) });
    expect((await call<RunView>('pipeline.get', { runId: planned.id })).plan).toEqual(firewallPlan);

    const renamed = { ...firewallPlan, files: firewallPlan.files.map((file) => (file.path === 'tests/test_api.py' ? { ...file, purpose: 'End-to-end API tests' } : file)) };
    const updated = await call<RunView>('pipeline.updatePlan', { runId: planned.id, plan: renamed });
    expect(updated.plan?.files.at(-1)?.purpose).toBe('End-to-end API tests');
  });

  async function untilFileDone(core: Core, runId: string, count: number): Promise<void> {
    await new Promise<void>((resolve) => {
      let seen = 0;
      const off = core.bus.subscribe((name, payload) => {
        if (name !== 'pipeline.event') return;
        const event = payload as PipelineEvent;
        if (event.runId === runId && event.kind === 'file-done' && (seen += 1) === count) {
          off();
          resolve();
        }
      });
    });
  }

  it('pause lets the file being written finish and starts no other until resume', async () => {
    const { call, core, responder, projectId } = await setup({ delayMs: 40 });
    const planned = await call<RunView>('pipeline.plan', { projectId });
    await call('pipeline.start', { runId: planned.id, concurrency: 1 });
    await untilFileDone(core, planned.id, 2);
    const paused = await call<RunView>('pipeline.pause', { runId: planned.id });
    expect(paused.status).toBe('paused');
    const generated = () => [...responder.counts.keys()].filter((key) => key.startsWith('generate:')).length;
    // Two are done; a third may have started before the pause came: it finishes, nothing else starts.
    const askedAtPause = generated();
    expect(askedAtPause).toBeLessThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(generated()).toBe(askedAtPause);
    const whilePaused = await call<RunView>('pipeline.get', { runId: planned.id });
    expect(whilePaused.status).toBe('paused');
    expect(whilePaused.files.filter((file) => file.status === 'done')).toHaveLength(askedAtPause);
    await call('pipeline.resume', { runId: planned.id });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');
    for (const file of firewallPlan.files) expect(responder.count(`generate:${file.path}`)).toBe(1);
  });

  it('cancel stops the run; resume later writes only what was not finished', async () => {
    const { call, core, responder, projectId } = await setup({ delayMs: 40 });
    const planned = await call<RunView>('pipeline.plan', { projectId });
    await call('pipeline.start', { runId: planned.id, concurrency: 2 });
    await untilFileDone(core, planned.id, 3);
    await call('pipeline.cancel', { runId: planned.id });
    const cancelled = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.files.some((file) => file.status === 'generating')).toBe(false);
    const done = cancelled.files.filter((file) => file.status === 'done').map((file) => file.path);
    expect(done.length).toBeGreaterThanOrEqual(3);
    await call('pipeline.resume', { runId: planned.id });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');
    for (const path of done) expect(responder.count(`generate:${path}`)).toBe(1);
    await expect(call('pipeline.cancel', { runId: run.id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a run stopped by closing the app is marked paused at the next start and resumes without asking again for finished files', async () => {
    const dataDir = tempDir();
    const first = await setup({ delayMs: 40 }, dataDir);
    const planned = await first.call<RunView>('pipeline.plan', { projectId: first.projectId });
    await first.call('pipeline.start', { runId: planned.id, concurrency: 1 });
    await untilFileDone(first.core, planned.id, 2);
    await first.core.dispose();
    open.splice(open.findIndex((item) => item.core === first.core), 1);
    await first.server.close();

    const second = await setup({ delayMs: 0 }, dataDir);
    const recovered = await second.call<RunView>('pipeline.get', { runId: planned.id });
    expect(recovered).toMatchObject({ status: 'paused', error: expect.stringMatching(/closed during this run/) });
    const done = recovered.files.filter((file) => file.status === 'done').map((file) => file.path);
    expect(done.length).toBeGreaterThanOrEqual(2);
    // A paused run that no process works on can be cancelled, and still resumed later.
    expect(await second.call<RunView>('pipeline.cancel', { runId: planned.id })).toMatchObject({ status: 'cancelled' });
    await second.call('pipeline.resume', { runId: planned.id });
    const run = await second.call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');
    for (const path of done) expect(second.responder.count(`generate:${path}`)).toBe(0);
    expect(second.responder.count('plan')).toBe(0);
  });

  it('a file that stays invalid fails, blocks its dependents, and resume retries them', async () => {
    const prose = 'The rule model holds a name, a source and a destination for every entry.\nEach rule is stored in memory and checked by the API before it is saved.\n';
    const { call, responder, projectId } = await setup({ files: { ...firewallFiles, 'app/models.py': [prose, prose, prose, firewallFiles['app/models.py'] ?? ''] } });
    const planned = await call<RunView>('pipeline.plan', { projectId });
    await call('pipeline.start', { runId: planned.id });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/1 failed \(app\/models\.py\)/);
    expect(run.files.find((file) => file.path === 'app/models.py')).toMatchObject({ status: 'failed', attempts: 3, error: expect.stringMatching(/prose, not python code/) });
    expect(run.files.find((file) => file.path === 'app/store.py')).toMatchObject({ status: 'blocked', error: expect.stringMatching(/depends on app\/models\.py, which could not be written/) });
    expect(responder.count('generate:app/store.py')).toBe(0);
    expect(run.files.find((file) => file.path === 'requirements.txt')?.status).toBe('done');
    await expect(call('pipeline.export', { runId: run.id, outDir: join(tempDir(), 'x') })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/app\/models\.py \(failed\)/) });

    await call('pipeline.resume', { runId: run.id });
    const resumed = await call<RunView>('pipeline.wait', { runId: run.id });
    expect(resumed.status).toBe('done');
    expect(responder.count('generate:requirements.txt')).toBe(1);
    expect(responder.count('generate:app/store.py')).toBe(1);
  });

  it('a second core on the same data leaves a run another core is working on alone, and refuses to take it over', async () => {
    const dataDir = tempDir();
    const { call, core, projectId } = await setup({ delayMs: 60 }, dataDir);
    const planned = await call<RunView>('pipeline.plan', { projectId });
    await call('pipeline.start', { runId: planned.id, concurrency: 1 });
    await untilFileDone(core, planned.id, 1);
    // Another window or CLI opens the same data folder meanwhile.
    const other = createCore({ dataDir, host: 'cli', env: { FAKE_KEY: 'k' } });
    const otherCall = coreCaller(other);
    expect((await otherCall<RunView>('pipeline.get', { runId: planned.id })).status).toBe('generating');
    await expect(otherCall('pipeline.resume', { runId: planned.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/Another window or process is working on this run/) });
    other.close();
    expect((await call<RunView>('pipeline.wait', { runId: planned.id })).status).toBe('done');
  });
});
