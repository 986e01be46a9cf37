// The gateway keeps providers, routing and settings parsed until the database changes
// (store/cacheUntilChange.ts). A change made through the app (the same connection) or by the CLI
// in another process on the same data folder must be seen by the very next model call.
import { afterAll, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { createCore } from '../../src-main/core/createCore.ts';
import type { ChatChunk } from '../../src-main/modelCall/modelCallTypes.ts';
import type { ManagedProvider } from '../../src-main/providers/descriptors/ProviderDescriptor.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { runBin } from '../support/cliProcess.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => {
  removeTempDirs();
});

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };

/** An in-process adapter that answers with its provider's id, so the answer says where the call went. */
function answeringWithId(id: string): ManagedProvider {
  return {
    id,
    type: 'openai',
    listModels: async () => [{ id: 'm' }],
    health: async () => ({ ok: true, detail: 'in process' }),
    async *chat(): AsyncGenerator<ChatChunk> {
      yield { type: 'text', text: id };
      yield { type: 'usage', inputTokens: 1, outputTokens: 1 };
      yield { type: 'finish', reason: 'stop' };
    },
    capabilities: () => ({ contextLength: 8192, structuredOutput: false, streaming: true }),
  };
}

const provider = (id: string): ProviderConfig => ({ id, type: 'openai', label: id, location: 'local', baseUrl: 'http://127.0.0.1:9/v1', models: ['m'], limits: {}, enabled: true });
const ask = { task: 'code' as const, messages: [{ role: 'user' as const, content: 'who answers?' }] };

describe('the gateway sees configuration changes on the next call', () => {
  it('made through the app, and made by the CLI in another process', async () => {
    const dataDir = createTempDir('sc-int-config-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {}, createProvider: (config) => answeringWithId(config.id) });
    try {
      const call = coreCaller(core);
      await call('providers.add', { config: provider('a') });
      await call('providers.add', { config: provider('b') });
      await call('routing.set', { routing: { code: [{ providerId: 'a', model: 'm' }] } });
      expect((await core.gateway.chat(ask)).text).toBe('a');
      expect((await core.gateway.chat(ask)).text).toBe('a');

      // Through the app: the same connection.
      await call('routing.set', { routing: { code: [{ providerId: 'b', model: 'm' }] } });
      expect((await core.gateway.chat(ask)).text).toBe('b');
      await call('providers.update', { config: { ...provider('b'), enabled: false } });
      await call('routing.set', { routing: { code: [{ providerId: 'b', model: 'm' }, { providerId: 'a', model: 'm' }] } });
      const fellBack = await core.gateway.chat(ask);
      expect(fellBack.text).toBe('a');
      expect(fellBack.attempts[0]).toMatchObject({ providerId: 'b', outcome: 'skipped', reason: expect.stringContaining('disabled') });

      // By another process: the CLI on the same data folder.
      await call('providers.update', { config: provider('b') });
      expect((await core.gateway.chat(ask)).text).toBe('b');
      const routed = await runBin(['providers', 'routing', 'set', 'code', '--target', 'a/m'], { SERVICE_CREATOR_HOME: dataDir });
      expect(routed.code, routed.stderr).toBe(0);
      expect((await core.gateway.chat(ask)).text).toBe('a');
      await call('routing.set', { routing: { code: [{ providerId: 'b', model: 'm' }, { providerId: 'a', model: 'm' }] } });
      expect((await core.gateway.chat(ask)).text).toBe('b');
      const removed = await runBin(['providers', 'remove', 'b'], { SERVICE_CREATOR_HOME: dataDir });
      expect(removed.code, removed.stderr).toBe(0);
      const afterRemove = await core.gateway.chat(ask);
      expect(afterRemove.text).toBe('a');
      expect(afterRemove.attempts[0]).toMatchObject({ providerId: 'b', outcome: 'skipped', reason: expect.stringContaining('not configured') });
    } finally {
      await core.dispose();
    }
  });
});
