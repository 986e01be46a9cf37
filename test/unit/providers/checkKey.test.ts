import { afterEach, describe, expect, it } from 'vitest';
import type { KeyCheck } from '../../../src-shared/domain/keyCheck.ts';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import type { SecretStore } from '../../../src-main/secrets/SecretStore.ts';
import { coreCaller } from '../../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

// providers.checkKey through the dispatcher, as the form calls it: a model-list request with an
// unsaved configuration and key, only where the privacy mode allows, scrubbed of the key.

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const typedKey = 'sk-typed-9d2f6b1c7e4a8053';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

describe('providers.checkKey', () => {
  const tempDir = useTempDirs();

  function core(): Core {
    const created = createCore({ dataDir: tempDir(), host: 'cli', secrets: noSecrets, env: {} });
    open.push(created);
    return created;
  }

  async function fake(options: Parameters<typeof startFakeOpenAiServer>[0]): Promise<FakeServer> {
    const server = await startFakeOpenAiServer(options);
    open.push(server);
    return server;
  }

  const config = (server: FakeServer): ProviderConfig => ({ id: 'gw', type: 'openai', label: 'Gateway', location: 'cloud', baseUrl: server.url, models: ['m1'], limits: {}, enabled: true });

  it('in Local-only mode sends nothing to a cloud provider and names the host; allowed, it reports rejected, then accepted; nothing is saved', async () => {
    // The 401 body quotes the key back, as some gateways do: the answer must not carry it.
    const server = await fake({ models: ['m1', 'm2'], routeScript: { 'GET /v1/models': [{ status: 401, body: { error: { message: `Incorrect API key provided: ${typedKey}` } } }] } });
    const host = new URL(server.url).host;
    const app = core();
    const call = coreCaller(app);
    const refused = await call('providers.checkKey', { config: config(server), apiKey: typedKey }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'BLOCKED_BY_PRIVACY_MODE', message: expect.stringContaining(`would contact ${host}, a cloud provider`) });
    expect(server.requests).toHaveLength(0);

    await call('settings.set', { privacyMode: 'cloud-allowed' });
    const rejected = await call<KeyCheck>('providers.checkKey', { config: config(server), apiKey: typedKey });
    expect(rejected).toMatchObject({ outcome: 'rejected', host, message: expect.stringMatching(new RegExp(`^${host.replace('.', '\\.')} refused the key`)) });
    expect(rejected.message).not.toContain(typedKey);
    const accepted = await call<KeyCheck>('providers.checkKey', { config: config(server), apiKey: typedKey });
    expect(accepted).toEqual({ outcome: 'accepted', host, message: `${host} accepted the key and lists 2 models.` });
    expect(server.requests.map((request) => [request.path, request.apiKey])).toEqual([
      ['/v1/models', typedKey],
      ['/v1/models', typedKey],
    ]);
    expect(app.providers.stored().providers).toEqual([]);
  });

  it('a server that is not there is unreachable in words; a key-needing type without a key is refused before any request', async () => {
    const server = await fake({});
    const gone = config(server);
    await server.close();
    const call = coreCaller(core());
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    const unreachable = await call<KeyCheck>('providers.checkKey', { config: gone, apiKey: typedKey });
    expect(unreachable.outcome).toBe('unreachable');
    expect(unreachable.message).toMatch(/could not be reached/);
    await expect(call('providers.checkKey', { config: gone })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'Type the API key to check it' });
  });
});
