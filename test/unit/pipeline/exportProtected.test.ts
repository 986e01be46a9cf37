import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../../src-main/bridge/startBridgeServer.ts';
import { createCore, databaseFileName, type Core } from '../../../src-main/core/createCore.ts';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { connectClient } from '../../support/bridgeClient.ts';
import { coreCaller, type CoreCall } from '../../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../../support/pipelineProject.ts';
import { pipelineResponder } from '../../support/pipelineResponder.ts';
import { createRendererDir } from '../../support/tempDir.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * Issue 12: `pipeline.export {outDir: <data folder>, force: true}` replaced the data folder, and
 * the live database with it; a relative `outDir` landed in the core's working folder. Both
 * through the core's dispatcher (what IPC calls) and over the bridge's socket.
 */
describe('pipeline.export on protected and relative paths', () => {
  const tempDir = useTempDirs();
  const open: { core?: Core; server?: FakeServer; bridge?: BridgeServer }[] = [];

  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.bridge?.close();
      await item.core?.dispose();
      await item.server?.close();
    }
  });

  /** A data folder holding one project with a finished run. */
  async function finishedRun(): Promise<{ core: Core; call: CoreCall; dataDir: string; runId: string; projectId: string }> {
    const dataDir = realpathSync(tempDir('sc-protect-data-'));
    const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles });
    const server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
    const core = createCore({ dataDir, host: 'bridge', env: { FAKE_KEY: 'k' } });
    open.push({ core, server });
    const call = coreCaller(core);
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall' } });
    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });
    await call('pipeline.start', { runId: planned.id });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');
    return { core, call, dataDir, runId: run.id, projectId: project.id };
  }

  it('refuses the data folder, its models folder and a zip inside it, even with force; the projects survive', async () => {
    const { call, dataDir, runId, projectId } = await finishedRun();
    const before = readdirSync(dataDir).sort();
    await expect(call('pipeline.export', { runId, outDir: dataDir, force: true })).rejects.toMatchObject({
      code: 'PROTECTED_PATH',
      message: `Cannot write to ${dataDir}: it is the app's data folder (${dataDir}); it holds your projects, settings and the database. Choose a new folder outside it.`,
    });
    await expect(call('pipeline.export', { runId, outDir: join(dataDir, 'models'), force: true, gitInit: true })).rejects.toMatchObject({ code: 'PROTECTED_PATH', message: expect.stringContaining("the app's models folder") });
    await expect(call('pipeline.export', { runId, outDir: join(dataDir, 'edge'), force: true, gitInit: true })).rejects.toMatchObject({ code: 'PROTECTED_PATH' });
    await expect(call('pipeline.export', { runId, outDir: join(dataDir, databaseFileName), zip: true, force: true })).rejects.toMatchObject({ code: 'PROTECTED_PATH' });
    expect(readdirSync(dataDir).sort()).toEqual(before);
    expect(await call<{ id: string }[]>('projects.list')).toEqual([expect.objectContaining({ id: projectId })]);
    // A folder next to the data folder is fine.
    const outDir = join(tempDir('sc-protect-out-'), 'edge');
    await expect(call('pipeline.export', { runId, outDir, force: true })).resolves.toMatchObject({ path: outDir, files: 10 });
  });

  it('refuses a relative folder or zip in words, writing nothing in the working folder', async () => {
    const { call, runId } = await finishedRun();
    const cwd = readdirSync(process.cwd()).sort();
    const words = `Choose a full folder path, such as ${join(homedir(), 'Exports', 'edge')}: "edge" does not say which folder it starts from.`;
    await expect(call('pipeline.export', { runId, outDir: 'edge' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: words });
    await expect(call('pipeline.export', { runId, outDir: 'exports/edge.zip', zip: true })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^Choose a full file path, such as \S+edge\.zip: /) });
    await expect(call('pipeline.export', { runId, outDir: '~/edge' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(call('models.import', { path: 'tiny.gguf' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^Choose a full file path, such as \S+tiny\.gguf: "tiny\.gguf" does not say/) });
    expect(readdirSync(process.cwd()).sort()).toEqual(cwd);
    expect(existsSync(join(process.cwd(), 'edge'))).toBe(false);
  });

  it('over the bridge: force into the data folder is refused and the database stays; a relative folder is refused in words', async () => {
    const { core, dataDir, runId } = await finishedRun();
    const bridge = await startBridgeServer({ core, rendererDir: createRendererDir(), port: 0 });
    open.push({ bridge });
    const client = await connectClient(bridge.port, bridge.token);
    try {
      const refused = await client.invoke('pipeline.export', { runId, outDir: dataDir, force: true });
      expect(refused).toMatchObject({ ok: false, error: { code: 'PROTECTED_PATH', message: expect.stringContaining("it is the app's data folder") } });
      expect(existsSync(join(dataDir, databaseFileName))).toBe(true);
      expect(await client.invoke('projects.list')).toMatchObject({ ok: true, value: [expect.objectContaining({ name: 'Edge firewall' })] });
      const relative = await client.invoke('pipeline.export', { runId, outDir: 'edge', force: true });
      expect(relative).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^Choose a full folder path, such as /) } });
    } finally {
      await client.close();
    }
  });
});
