import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../../support/pipelineProject.ts';
import { pipelineResponder } from '../../support/pipelineResponder.ts';
import { coreCaller } from '../../support/coreCaller.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * A generation run keeps a balanced task on the target that answered it last (a sticky key per
 * run and task): two equivalent servers split by weight, and a random source that flips with every
 * answered request, so without the run's sticky key the files would alternate between them.
 */
describe('generation runs are sticky to a target per task', () => {
  const tempDir = useTempDirs();
  const open: { core?: Core; servers: FakeServer[] }[] = [];

  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core?.dispose();
      for (const server of item.servers) await server.close();
    }
  });

  it('every file of a run goes to the server that wrote the first one', async () => {
    // Every answered request flips the random source, so without stickiness each next file's weighted draw picks the other box.
    let low = true;
    const servers = await Promise.all(
      ['a', 'b'].map(async () => {
        const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles });
        return startFakeOpenAiServer({
          respond: (...args: Parameters<typeof responder.respond>) => {
            low = !low;
            return responder.respond(...args);
          },
          models: ['scripted'],
        });
      }),
    );
    const core = createCore({ dataDir: tempDir(), host: 'cli', env: { FAKE_KEY: 'k' }, routerOptions: { baseDelayMs: 1, maxDelayMs: 5, random: () => (low ? 0.01 : 0.99) } });
    open.push({ core, servers });
    const call = coreCaller(core);
    for (const [index, server] of servers.entries()) {
      await call('providers.add', { config: { id: `box${index}`, type: 'openai', label: `Box ${index}`, location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    }
    await call('routing.set', {
      routing: { code: [{ providerId: 'box0', model: 'scripted', weight: 1 }, { providerId: 'box1', model: 'scripted', weight: 1 }] },
      strategies: { code: 'weighted' },
    });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall' } });
    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });
    await call('pipeline.start', { runId: planned.id, concurrency: 1 });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');

    const codeRequests = servers.map((server) => server.requests.filter((request) => request.path.endsWith('/chat/completions')).length);
    // The plan, review and docs go to the default order (box0 first); the files to one box only.
    const attempts = await call<{ task: string; providerId: string; outcome: string }[]>('usage.attempts', { limit: 200 });
    const codeTargets = new Set(attempts.filter((attempt) => attempt.task === 'code' && attempt.outcome === 'ok').map((attempt) => attempt.providerId));
    expect(codeTargets.size, `code answered by ${[...codeTargets].join(', ')}; requests per server ${codeRequests.join(', ')}`).toBe(1);
    // Several files were written under the code task, so alternating draws would have split them.
    expect(attempts.filter((attempt) => attempt.task === 'code' && attempt.outcome === 'ok').length).toBeGreaterThanOrEqual(3);
  });
});
