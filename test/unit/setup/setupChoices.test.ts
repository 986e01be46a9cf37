// Setup's pure parts: the routing it writes, the provider a choice runs on, and the words the
// routing page shows for each task.
import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { explainTask } from '../../../src-main/setup/explainTask.ts';
import { providerForChoice, type ProviderChanges } from '../../../src-main/setup/providerForChoice.ts';
import { routingWithFirst } from '../../../src-main/setup/SetupService.ts';
import type { Candidate } from '../../../src-main/router/planTargets.ts';

/** A stand-in for ProviderService's stored list (the real one is exercised by test/integration/cliSetup.test.ts). */
function providers(initial: ProviderConfig[]): ProviderChanges & { readonly added: ProviderConfig[]; readonly updated: ProviderConfig[] } {
  const state = { list: [...initial], added: [] as ProviderConfig[], updated: [] as ProviderConfig[] };
  return {
    stored: () => ({ providers: state.list }),
    add: (config) => {
      state.added.push(config);
      state.list.push(config);
      return Promise.resolve();
    },
    update: (config) => {
      state.updated.push(config);
      state.list = state.list.map((p) => (p.id === config.id ? config : p));
      return Promise.resolve();
    },
    get added() {
      return state.added;
    },
    get updated() {
      return state.updated;
    },
  };
}

const lmStudio: ProviderConfig = { id: 'lm-studio', type: 'openai', label: 'LM Studio', location: 'local', baseUrl: 'http://127.0.0.1:1234/v1', models: ['old-model'], limits: {}, enabled: false };
const cloud: ProviderConfig = { id: 'openai', type: 'openai', label: 'OpenAI', location: 'cloud', models: ['gpt-4.1-mini'], limits: {}, enabled: true };

describe('routingWithFirst', () => {
  it('puts the target first in every task and keeps what was there after it, once', () => {
    const routing = routingWithFirst({ code: [{ providerId: 'openai', model: 'gpt-4.1-mini' }, { providerId: 'lm-studio', model: 'qwen' }] }, { providerId: 'lm-studio', model: 'qwen' });
    expect(routing.code).toEqual([{ providerId: 'lm-studio', model: 'qwen' }, { providerId: 'openai', model: 'gpt-4.1-mini' }]);
    expect(routing.interview).toEqual([{ providerId: 'lm-studio', model: 'qwen' }]);
    expect(Object.keys(routing)).toEqual(['interview', 'plan', 'code', 'review', 'docs', 'tests', 'fix']);
  });
});

describe('providerForChoice', () => {
  it('reuses the provider already configured for the same server, switched on, with the model added first', async () => {
    const store = providers([lmStudio]);
    const chosen = await providerForChoice({ kind: 'server', serverKind: 'lm-studio', baseUrl: 'http://127.0.0.1:1234/v1/', providerType: 'openai', model: 'qwen' }, store, 'local-only');
    expect(chosen).toMatchObject({ added: false, model: 'qwen', config: { id: 'lm-studio', enabled: true, models: ['qwen', 'old-model'] } });
    expect(store.added).toEqual([]);
  });

  it('adds a new local provider with a free id for a server not configured yet', async () => {
    const store = providers([{ ...lmStudio, baseUrl: 'http://127.0.0.1:9999/v1' }]);
    const chosen = await providerForChoice({ kind: 'server', serverKind: 'lm-studio', baseUrl: 'http://127.0.0.1:1234/v1', providerType: 'openai', model: 'qwen' }, store, 'local-only');
    expect(chosen.config).toMatchObject({ id: 'lm-studio-2', location: 'local', baseUrl: 'http://127.0.0.1:1234/v1', models: ['qwen'] });
  });

  it('takes a server on IPv6 loopback as local too', async () => {
    const chosen = await providerForChoice({ kind: 'server', serverKind: 'ollama', baseUrl: 'http://[::1]:11434', providerType: 'ollama', model: 'qwen2.5-coder:7b' }, providers([]), 'local-only');
    expect(chosen.config).toMatchObject({ id: 'ollama', type: 'ollama', location: 'local', baseUrl: 'http://[::1]:11434', models: ['qwen2.5-coder:7b'] });
  });

  it('refuses a server off this computer, and a cloud provider in Local-only mode', async () => {
    await expect(providerForChoice({ kind: 'server', serverKind: 'vllm', baseUrl: 'http://192.168.1.20:8000/v1', providerType: 'openai', model: 'm' }, providers([]), 'local-only')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(providerForChoice({ kind: 'provider', providerId: 'openai', model: 'gpt-4.1-mini' }, providers([cloud]), 'local-only')).rejects.toMatchObject({ code: 'BLOCKED_BY_PRIVACY_MODE' });
    await expect(providerForChoice({ kind: 'provider', providerId: 'openai', model: 'gpt-4.1-mini' }, providers([cloud]), 'local-first')).resolves.toMatchObject({ added: false });
  });
});

describe('explainTask', () => {
  const candidate = (providerId: string, model: string, extra: Partial<Candidate> = {}): Candidate => ({ target: { providerId, model }, reason: '', config: providerId === 'openai' ? cloud : lmStudio, ...extra });

  it('says chosen in setup, and names what was passed over', () => {
    const plan = [candidate('openai', 'gpt-4.1-mini', { skip: 'cloud provider not allowed in local-only mode' }), candidate('lm-studio', 'qwen')];
    const answer = explainTask('code', plan, { code: [{ providerId: 'openai', model: 'gpt-4.1-mini' }, { providerId: 'lm-studio', model: 'qwen' }] }, { state: 'done', providerId: 'lm-studio', model: 'qwen', at: '2026-01-01T00:00:00.000Z' });
    expect(answer).toEqual({ task: 'code', target: { providerId: 'lm-studio', model: 'qwen' }, why: 'chosen in setup; passed over: gpt-4.1-mini on openai (cloud provider not allowed in local-only mode)' });
  });

  it('says where the routing or the default order put it, and when nothing can answer', () => {
    expect(explainTask('plan', [candidate('lm-studio', 'qwen')], { plan: [{ providerId: 'lm-studio', model: 'qwen' }] }, null).why).toBe("first in this task's routing");
    expect(explainTask('plan', [candidate('lm-studio', 'qwen')], {}, null).why).toBe('first local provider with a model (no routing set for this task)');
    expect(explainTask('plan', [candidate('lm-studio', 'qwen', { strategy: 'weighted' })], {}, null).why).toContain('the weighted strategy picks per call');
    expect(explainTask('docs', [], {}, null)).toEqual({ task: 'docs', target: null, why: 'No model is set up: run setup, or add a provider in Providers' });
    expect(explainTask('docs', [candidate('lm-studio', '(none)', { skip: 'provider "lm-studio" is disabled' })], {}, null).why).toBe('Nothing can answer; passed over: (none) on lm-studio (provider "lm-studio" is disabled)');
  });
});
