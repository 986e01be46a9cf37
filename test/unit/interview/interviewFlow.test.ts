import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import type { InterviewState } from '../../../src-shared/interview/interviewTypes.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import type { FakeStep } from '../../support/fakes/fakeServerBase.ts';
import { vFirewallInterview, vFirewallSpec } from '../../support/interviewScript.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * Whole interviews through the core's channels, the router and the real OpenAI SDK, against a
 * scripted OpenAI-compatible server on loopback: every turn's JSON comes from the script.
 */
const chatPath = '/v1/chat/completions';

describe('interview through the router and the OpenAI SDK', () => {
  const tempDir = useTempDirs();
  const open: { core?: Core; server?: FakeServer }[] = [];

  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core?.dispose();
      await item.server?.close();
    }
  });

  async function setup(script: FakeStep[], dataDir = tempDir()) {
    const server = await startFakeOpenAiServer({ script, models: ['scripted'] });
    const core = createCore({ dataDir, host: 'cli', env: { FAKE_KEY: 'k' }, routerOptions: { baseDelayMs: 1, maxDelayMs: 5 } });
    open.push({ core, server });
    const call = async <T>(channel: Parameters<Core['dispatch']>[0], input?: unknown): Promise<T> => {
      const result = await core.dispatch(channel, input as never);
      if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
      return result.value as T;
    };
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    return { server, core, call, projectId: project.id, dataDir };
  }

  it('runs a whole scripted interview to a valid spec, one model request per question', async () => {
    const { server, call, projectId } = await setup(vFirewallInterview.map((item) => ({ reply: { json: item.turn } })));
    let state = await call<InterviewState>('interview.get', { projectId });
    expect(state.progress).toEqual({ step: 1, totalSteps: 9 });
    for (const [index, item] of vFirewallInterview.entries()) {
      state = await call<InterviewState>('interview.next', { projectId });
      expect(state.pending?.field).toBe(item.turn.field);
      expect(state.progress.step).toBe(index + 1);
      state = await call<InterviewState>('interview.answer', { projectId, turnId: state.pending?.id, answer: item.answer });
    }
    expect(state.done).toBe(true);
    expect(state.check).toEqual({ valid: true, problems: [] });
    expect(state.spec).toEqual({ ...vFirewallSpec, name: 'Edge firewall' });
    expect(server.count(chatPath)).toBe(vFirewallInterview.length);
    // Done: asking again costs nothing.
    await call('interview.next', { projectId });
    expect(server.count(chatPath)).toBe(vFirewallInterview.length);
  });
});
