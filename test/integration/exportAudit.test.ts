// A finished run exported with the audit trail's rows of its requests that left the machine: a
// real generation run through the core (the real OpenAI SDK against a loopback server answering
// from a script) to a provider marked cloud; its provenance lists each request (host, bytes, the
// prompt's hash, its row hash chained to the trail); a run on a local provider lists none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { RunView } from '../../src-shared/pipeline/pipelineTypes.ts';
import type { AuditRowView } from '../../src-shared/domain/audit.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../support/pipelineProject.ts';
import { pipelineResponder } from '../support/pipelineResponder.ts';
import { useTempDirs } from '../support/useTempDirs.ts';
import { assertNotInFiles } from '../support/plantedSecret.ts';

describe('an exported run carries its requests that left the machine', () => {
  const tempDir = useTempDirs();
  const open: { core: Core; server: FakeServer }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core.dispose();
      await item.server.close();
    }
  });

  async function exportRun(location: 'cloud' | 'local') {
    const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles });
    const server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
    const core = createCore({ dataDir: tempDir(), host: 'cli', env: { FAKE_KEY: 'sk-test-export-audit' }, routerOptions: { baseDelayMs: 1, maxDelayMs: 5 } });
    open.push({ core, server });
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location, baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall' } });
    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });
    await call('pipeline.start', { runId: planned.id, concurrency: 3 });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');
    const outDir = join(tempDir(), 'out');
    await call('pipeline.export', { runId: run.id, outDir });
    const provenance = JSON.parse(readFileSync(join(outDir, '.service-creator', 'provenance.json'), 'utf8')) as { cloudRequests: AuditRowView[] };
    // The key the requests carried is in no exported file, the provenance's audit rows included.
    assertNotInFiles(outDir, 'sk-test-export-audit');
    return { core, server, run, provenance };
  }

  it('cloud: one row per request of the run, as the trail holds it, chained', async () => {
    const { core, server, provenance } = await exportRun('cloud');
    const sent = server.requests.filter((request) => request.path.endsWith('/chat/completions')).length;
    expect(sent).toBeGreaterThan(2);
    expect(provenance.cloudRequests).toHaveLength(sent);
    const trail = [...core.gateway.audit.all()];
    expect(provenance.cloudRequests).toEqual(trail);
    for (const row of provenance.cloudRequests) expect(row).toMatchObject({ providerId: 'fake', host: new URL(server.url).host, model: 'scripted', outcome: 'ok', promptSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(provenance.cloudRequests.map((row) => row.seq)).toEqual(provenance.cloudRequests.map((_, index) => index + 1));
    expect(core.gateway.audit.verify()).toEqual({ ok: true, rows: sent });
  });

  it('local: nothing left the machine, the list is empty', async () => {
    const { provenance } = await exportRun('local');
    expect(provenance.cloudRequests).toEqual([]);
  });
});
