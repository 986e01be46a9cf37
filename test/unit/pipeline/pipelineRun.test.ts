import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../../support/pipelineProject.ts';
import { pipelineResponder, type PipelineScript } from '../../support/pipelineResponder.ts';
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
    const call = async <T>(channel: Parameters<Core['dispatch']>[0], input?: unknown): Promise<T> => {
      const result = await core.dispatch(channel, input as never);
      if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
      return result.value as T;
    };
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall' } });
    return { server, core, call, responder, projectId: project.id, dataDir };
  }

  function tree(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (at: string) => {
      for (const entry of readdirSync(at, { withFileTypes: true })) {
        const path = join(at, entry.name);
        if (entry.isDirectory()) walk(path);
        else out[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'utf8');
      }
    };
    walk(dir);
    return out;
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
    const written = tree(outDir);
    for (const [path, content] of Object.entries(firewallFiles)) expect(written[path]).toBe(content);
    expect(written['README.md']).toContain('# README');
    const provenance = JSON.parse(written['.service-creator/provenance.json'] ?? '{}') as { runId: string; plan: { promptVersion: string }; files: { path: string; providerId: string; model: string; promptVersion: string; attempts: number; validation: { ok: boolean } }[] };
    expect(provenance.runId).toBe(run.id);
    expect(provenance.plan.promptVersion).toBe('plan@1');
    expect(provenance.files.find((file) => file.path === 'app/store.py')).toMatchObject({ providerId: 'fake', model: 'scripted', promptVersion: 'generate-file@1', attempts: 1, validation: { ok: true } });
    await expect(call('pipeline.export', { runId: run.id, outDir })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/is not empty; pass --force/) });
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
});
