// A retry on the same target sends another request, which can cost as much as the first: after a
// try that streamed before it failed (the provider bills what it generated), the retry is
// reserved again against the budgets before it is sent, and not sent when none has the room.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const env = { CLOUD_KEY: 'sk-test-budget-0000' };
const chatPath = '/v1/chat/completions';
const cloudProvider = (url: string): ProviderConfig => ({ id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'CLOUD_KEY' });
/** 100 words: the fake streams one token a word, so a cut after 99 has generated (and billed) nearly the whole capped answer. */
const longReply = Array.from({ length: 100 }, (_, index) => `w${index}`).join(' ');

describe('a retry after a try that may have been billed is reserved again', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  async function setUp(limitUsd: number) {
    const cloud = await startFakeOpenAiServer({ defaultStep: { reply: 'answer', delayMs: 20, usage: { inputTokens: 10, outputTokens: 100 } } });
    servers.push(cloud);
    const core = createCore({ dataDir: createTempDir('sc-int-budget-retry-'), host: 'cli', secrets: noSecrets, env });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: cloudProvider(cloud.url) });
    // $0.01 per answer token, prompts free: a try capped at 100 tokens can cost at most $1.00.
    await call('pricing.set', { model: 'gpt-fake', inputPerMillion: 0, outputPerMillion: 10_000 });
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd });
    const ask = () => core.gateway.chat({ task: 'code', maxTokens: 100, messages: [{ role: 'user', content: 'write it' }] });
    const status = async () => (await call<{ spentUsd: number; reservedUsd: number }[]>('budgets.list'))[0];
    return { cloud, ask, status };
  }

  it('room for one try: the cut-off try is the only request sent, and the error names the budget', async () => {
    const { cloud, ask, status } = await setUp(1.5);
    cloud.enqueue({ resetAfterTokens: 99, reply: longReply });
    const failed = await ask().catch((error: unknown) => error);
    expect(failed).toMatchObject({ message: expect.stringContaining('over the daily budget: $0.5000 left of $1.50, and this call could cost up to $1.00') });
    expect(cloud.count(chatPath)).toBe(1);
    expect(await status()).toMatchObject({ spentUsd: 1, reservedUsd: 0 });
  });

  it('room for two tries: the retry is sent and answers, both counted', async () => {
    const { cloud, ask, status } = await setUp(2.5);
    cloud.enqueue({ resetAfterTokens: 99, reply: longReply });
    expect((await ask()).text).toBe('answer');
    expect(cloud.count(chatPath)).toBe(2);
    expect(await status()).toMatchObject({ spentUsd: 2, reservedUsd: 0 });
  });

  it('a try refused before its first token leaves its reservation to the retry: room for one try is enough', async () => {
    const { cloud, ask, status } = await setUp(1.5);
    cloud.enqueue({ status: 500 });
    expect((await ask()).text).toBe('answer');
    expect(cloud.count(chatPath)).toBe(2);
    expect(await status()).toMatchObject({ spentUsd: 1, reservedUsd: 0 });
  });

  it('8 concurrent calls under a budget for 4, each cut off once after streaming: at most 4 tries are sent', async () => {
    // Four cuts, fewer than the five failures in a row that open the target's circuit.
    const { cloud, ask, status } = await setUp(4);
    for (let index = 0; index < 4; index += 1) cloud.enqueue({ resetAfterTokens: 99, reply: longReply, delayMs: 20 });
    const settled = await Promise.allSettled(Array.from({ length: 8 }, () => ask()));
    expect(settled.filter((result) => result.status === 'fulfilled')).toHaveLength(0);
    expect(cloud.count(chatPath)).toBe(4);
    const after = await status();
    expect(after?.spentUsd).toBeCloseTo(4, 6);
    expect(after?.reservedUsd).toBe(0);
  });
});
