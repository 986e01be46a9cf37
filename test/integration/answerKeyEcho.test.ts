// A server that answers 200 with the key in its text (an echo of the Authorization header, a
// model repeating a key it saw): the key reaches neither the caller, nor the streamed chunks, nor
// any file of the data folder (the response cache keeps answers), whatever the chunking, on a
// cloud target and a local one alike.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { knownSecrets } from '../../src-main/secrets/knownSecrets.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { assertNotInFiles } from '../support/plantedSecret.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
/** No recognisable prefix: only the registry of keys in use finds it. */
const key = `gw${randomBytes(24).toString('hex')}`;

describe('a key echoed back in an answer', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
    knownSecrets.clear();
  });

  it('is taken out of the text, every streamed chunk and the stored answer, cut anywhere between chunks', async () => {
    const reply = `You sent Authorization: Bearer ${key} and x-key=${key}. Done.`;
    const dataDir = createTempDir('sc-int-answer-key-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: { ECHO_KEY: key } });
    cores.push(core);
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed', responseCache: { enabled: true } });
    for (const [n, location] of [[1, 'cloud'], [3, 'cloud'], [7, 'local'], [11, 'cloud'], [40, 'local']] as const) {
      const server = await startFakeOpenAiServer({ defaultStep: { reply, chunks: n } });
      servers.push(server);
      await call('providers.add', { config: { id: `echo${n}`, type: 'openai', label: 'echo', location, baseUrl: server.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'ECHO_KEY' } });
      const streamed: string[] = [];
      const result = await core.gateway.chat({ task: 'code', only: { providerId: `echo${n}`, model: 'gpt-fake' }, messages: [{ role: 'user', content: `question ${n}` }], onEvent: (event) => void (event.type === 'text' && streamed.push(event.text)) });
      if (location === 'cloud') expect(server.requests.some((request) => request.headers.authorization === `Bearer ${key}`)).toBe(true);
      expect(result.text).toBe('You sent Authorization: Bearer [redacted] and x-key=[redacted]. Done.');
      expect(streamed.join('')).toBe(result.text);
      for (const chunk of streamed) expect(chunk).not.toContain(key.slice(0, 16));
    }
    await core.dispose();
    cores.splice(0);
    assertNotInFiles(dataDir, key);
  });
});
