// A budget set while a call is under way (by the CLI, another process) counts the requests that
// call has yet to send: its fallback to another priced target is checked against it, not sent
// because no budget was set when the call began.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { runBin } from '../support/cliProcess.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const env = { CLOUD_KEY: 'sk-test-budget-0000' };
const chatPath = '/v1/chat/completions';
const cloud = (id: string, url: string, extra: Partial<ProviderConfig> = {}): ProviderConfig => ({
  id,
  type: 'openai',
  label: id,
  location: 'cloud',
  baseUrl: url,
  models: ['gpt-fake'],
  limits: {},
  enabled: true,
  apiKeyEnv: 'CLOUD_KEY',
  ...extra,
});

describe('a budget set while a call is under way', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  it('stops its fallback to another cloud target: nothing is sent there and the error names the budget', async () => {
    const hanging = await startFakeOpenAiServer({ defaultStep: { hang: true } });
    const next = await startFakeOpenAiServer({ defaultStep: { reply: 'answer', usage: { inputTokens: 10, outputTokens: 100 } } });
    servers.push(hanging, next);
    const dataDir = createTempDir('sc-int-budget-midcall-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    // The first target never starts its answer: after 2 s the call falls back to the second.
    await call('providers.add', { config: cloud('hanging', hanging.url, { firstTokenTimeoutMs: 2_000 }) });
    await call('providers.add', { config: cloud('next', next.url) });
    await call('routing.set', { routing: { code: [{ providerId: 'hanging', model: 'gpt-fake' }, { providerId: 'next', model: 'gpt-fake' }] } });
    await call('pricing.set', { model: 'gpt-fake', inputPerMillion: 0, outputPerMillion: 10_000 });

    const asked = core.gateway.chat({ task: 'code', maxTokens: 100, messages: [{ role: 'user', content: 'write it' }] }).catch((error: unknown) => error);
    const until = Date.now() + 10_000;
    while (hanging.count(chatPath) === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hanging.count(chatPath)).toBe(1);
    const set = await runBin(['budget', 'set', '0.5'], { ...env, SERVICE_CREATOR_HOME: dataDir });
    expect(set.code, set.stderr).toBe(0);

    expect(await asked).toMatchObject({ message: expect.stringContaining('over the daily budget: $0.5000 left of $0.5000, and this call could cost up to $1.00') });
    expect(next.count(chatPath)).toBe(0);
    const [status] = await call<{ spentUsd: number }[]>('budgets.list');
    expect(status?.spentUsd).toBe(0);
  }, 60_000);
});
