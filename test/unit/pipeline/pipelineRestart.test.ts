import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import type { PipelineEvent, RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { createTextBatcher } from '../../../src-renderer/features/pipeline/createTextBatcher.ts';
import { startFakeOpenAiServer, type FakeServer, type FakeStep } from '../../support/fakes/fakeOpenAiServer.ts';
import { classifyPipelineRequest, pipelineResponder } from '../../support/pipelineResponder.ts';
import { coreCaller } from '../../support/coreCaller.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../../support/pipelineProject.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * The UI face of a restart: a file's answer breaks after its first tokens (connection reset) and
 * is retried; the events the core sends (what the bridge and IPC forward) fed into the live-text
 * batcher the Generate view uses show the file's final text once, not the fragment plus the text.
 */
describe('generation: a reset mid-file restarts its live text', () => {
  const tempDir = useTempDirs();
  const open: { core: Core; server: FakeServer }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core.dispose();
      await item.server.close();
    }
  });

  it('the live text joined through file-restart equals the stored file', async () => {
    const broken = 'app/store.py';
    const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles });
    let resets = 0;
    const respond = (body: unknown): FakeStep | undefined => {
      const ask = classifyPipelineRequest(body);
      if (ask.kind === 'generate' && ask.path === broken && resets === 0) {
        resets += 1;
        return { resetAfterTokens: 2, reply: `# a fragment of a first try that must not be shown\n${'x = 1\n'.repeat(20)}` };
      }
      return responder.respond(body);
    };
    const server = await startFakeOpenAiServer({ respond, models: ['scripted'] });
    const core = createCore({ dataDir: tempDir(), host: 'cli', env: { FAKE_KEY: 'k' }, routerOptions: { baseDelayMs: 1, maxDelayMs: 5 } });
    open.push({ core, server });
    const call = coreCaller(core);
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall' } });

    const shown = new Map<string, string>();
    const restarts: string[] = [];
    const batcher = createTextBatcher(
      (batches) => {
        for (const [path, batch] of batches) shown.set(path, (batch.reset ? '' : (shown.get(path) ?? '')) + batch.text);
      },
      { schedule: () => 0, cancel: () => undefined },
    );
    core.bus.subscribe((name, payload) => {
      if (name !== 'pipeline.event') return;
      const event = payload as PipelineEvent;
      if (event.kind === 'file-started') shown.set(event.path, '');
      if (event.kind === 'file-text') batcher.append(event.path, event.text);
      if (event.kind === 'file-restart') {
        restarts.push(event.path);
        batcher.reset(event.path);
      }
      if (event.kind === 'file-done') batcher.flush();
    });

    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });
    await call('pipeline.start', { runId: planned.id, concurrency: 1 });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');
    expect(resets).toBe(1);
    expect(restarts).toEqual([broken]);
    expect(shown.get(broken)).toBe(firewallFiles[broken]);
    expect(shown.get(broken)).not.toContain('fragment');
  });
});
