import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import type { SecretStore } from '../../../src-main/secrets/SecretStore.ts';
import { coreCaller } from '../../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

// A key a provider rejected (401) is not tried again: later calls skip the provider, saying so.
// When the user replaces it from elsewhere (the CLI's `providers set-key`, into the keychain this
// process reads too), the next call finds the new key and tries the provider again, instead of
// skipping it until the app restarts or the Providers page looks.

describe('a rejected key replaced by another process', () => {
  const tempDir = useTempDirs();
  const open: { core?: Core; server?: FakeServer }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core?.dispose();
      await item.server?.close();
    }
  });

  it('the provider is skipped while the rejected key is the one stored, and tried again once another is', async () => {
    const stored = new Map<string, string>([['cloud', 'sk-old-0123456789abcdef0123']]);
    // The keychain as every process sees it: what another process stores is read here on the next look.
    const keychain: SecretStore = {
      backend: 'memory',
      get: async (account) => stored.get(account),
      set: async (account, secret) => void stored.set(account, secret),
      delete: async (account) => stored.delete(account),
      has: async (account) => stored.has(account),
    };
    const server = await startFakeOpenAiServer({ script: [{ status: 401, body: { error: { message: 'Incorrect API key provided.' } } }], defaultStep: { reply: 'hello' }, models: ['m1'] });
    const core = createCore({ dataDir: tempDir(), host: 'bridge', env: {}, secrets: keychain });
    open.push({ core, server });
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: { id: 'cloud', type: 'openai', label: 'Cloud', location: 'cloud', baseUrl: server.url, models: ['m1'] } });
    const ask = () => core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }] }).then((result) => result.text, (error: Error) => error.message);
    const chats = () => server.requests.filter((request) => request.path.endsWith('/chat/completions')).length;

    expect(await ask()).toMatch(/the key was rejected/);
    expect(chats()).toBe(1);
    expect(await ask()).toMatch(/rejected \(401\/403\) earlier; update it in Providers/);
    expect(chats()).toBe(1);

    // The CLI, in another process, stores a new key.
    stored.set('cloud', 'sk-new-0123456789abcdef0123');
    expect(await ask()).toBe('hello');
    expect(chats()).toBe(2);
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer sk-new-0123456789abcdef0123');
  });
});
