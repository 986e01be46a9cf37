// A server whose usage is not whole token counts (prompt_tokens 12.5, completion_tokens 1e300):
// the answer still comes back and the attempt is written to SQLite, its cost unknown, so a budget
// keeps what the call reserved. SQLite refused the fraction in an INTEGER column, losing the answer.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const env = { ODD_USAGE_KEY: 'sk-odd-usage-test-0000' };

describe('token counts a server got wrong', () => {
  const cores: Core[] = [];
  const servers: FakeServer[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  it('answer, and record the attempt with its counts unknown and its reservation kept', async () => {
    const server = await startFakeOpenAiServer({ script: [{ reply: 'first', usage: { inputTokens: 12.5, outputTokens: 3 } }, { reply: 'second', usage: { inputTokens: 7, outputTokens: 1e300 } }] });
    servers.push(server);
    const core = createCore({ dataDir: createTempDir('sc-int-odd-usage-'), host: 'cli', secrets: noSecrets, env });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: server.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'ODD_USAGE_KEY' } });
    await call('pricing.set', { model: 'gpt-fake', inputPerMillion: 1000, outputPerMillion: 1000 });
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd: 100 });
    const ask = () => core.gateway.chat({ task: 'code', maxTokens: 10, messages: [{ role: 'user', content: 'write main.py' }] });
    expect((await ask()).text).toBe('first');
    expect((await ask()).text).toBe('second');
    // Written to SQLite (recent() writes what is queued first) as answered calls of unknown cost.
    const rows = core.gateway.attempts.recent(10, 'calls');
    expect(rows.map((row) => [row.outcome, row.inputTokens ?? null, row.outputTokens ?? null, row.costUsd ?? null])).toEqual([
      ['ok', 7, null, null],
      ['ok', null, 3, null],
    ]);
    // What each call reserved stays spent: more than nothing is counted against the budget.
    const [budget] = await call<{ spentUsd: number }[]>('budgets.list');
    expect(budget?.spentUsd).toBeGreaterThan(0);
  });
});
