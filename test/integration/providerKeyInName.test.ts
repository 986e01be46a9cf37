// A key pasted into the wrong field (the provider's name, a model name) must not be stored: the
// database would keep it, and every list, log, usage report and export would carry it. Refused
// in words, on add and on change, whether the key is key-shaped (sk-…), the one typed in with it,
// or one this process already uses; nothing reaches the data folder.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import { knownSecrets } from '../../src-main/secrets/knownSecrets.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { assertNotInFiles, plantedSecret } from '../support/plantedSecret.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

/** No prefix: only the key given with the call (or one in use) can recognise it. */
const plainKey = `gw${randomBytes(20).toString('hex')}`;

function memorySecrets(): SecretStore {
  const keys = new Map<string, string>();
  return {
    backend: 'memory',
    get: async (id) => keys.get(id),
    set: async (id, key) => void keys.set(id, key),
    delete: async (id) => keys.delete(id),
    has: async (id) => keys.has(id),
  };
}

describe('a key in a provider name or model name', () => {
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    knownSecrets.clear();
  });

  const config = (extra: Partial<ProviderConfig>): ProviderConfig => ({ id: 'gw', type: 'openai', label: 'Gateway', location: 'cloud', baseUrl: 'https://gateway.example.com/v1', models: ['m'], limits: {}, enabled: true, ...extra });

  it('is refused on add and on change, without repeating it, and never reaches the data folder', async () => {
    const home = createTempDir('sc-int-key-in-name-');
    const core = createCore({ dataDir: home, host: 'cli', secrets: memorySecrets(), env: {} });
    cores.push(core);
    const call = coreCaller(core);
    const refusals: unknown[] = [];
    const refused = async (channel: string, input: unknown) => {
      const error = await call(channel, input).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      refusals.push(error);
      return error;
    };

    expect(await refused('providers.add', { config: config({ label: `Gateway ${plantedSecret}` }), apiKey: 'sk-some-other-key-000000000000' })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('name cannot hold an API key') });
    expect(await refused('providers.add', { config: config({ label: `key ${plainKey}` }), apiKey: plainKey })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await refused('providers.add', { config: config({ label: `Gateway ${plainKey.slice(0, 24)}` }), apiKey: plainKey })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await refused('providers.add', { config: config({ models: ['m', plantedSecret] }), apiKey: plainKey })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('model name cannot hold an API key') });
    // In the address's path or after a "#", where the query and user checks do not look.
    expect(await refused('providers.add', { config: config({ baseUrl: `https://gateway.example.com/v1/${plantedSecret}` }) })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('address cannot hold an API key') });
    expect(await refused('providers.add', { config: config({ baseUrl: `https://gateway.example.com/k/${plainKey}/v1` }), apiKey: plainKey })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await refused('providers.add', { config: config({ baseUrl: `https://gateway.example.com/v1#${plainKey}` }), apiKey: plainKey })).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await call<{ providers: unknown[] }>('providers.list')).providers).toHaveLength(0);

    // Added properly, then changed with the key (now in use) pasted into its name.
    await call('providers.add', { config: config({}), apiKey: plainKey });
    expect(await refused('providers.update', { config: config({ label: `Gateway (${plainKey})` }) })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await refused('providers.update', { config: config({ label: `Gateway ${plantedSecret}` }) })).toMatchObject({ code: 'INVALID_INPUT' });
    const { providers } = await call<{ providers: { config: ProviderConfig }[] }>('providers.list');
    expect(providers.map(({ config: each }) => each.label)).toEqual(['Gateway']);

    // The same in a task's routing and in a price, the other places a model is named.
    expect(await refused('routing.set', { routing: { code: [{ providerId: 'gw', model: 'm' }, { providerId: 'gw', model: plantedSecret }] } })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('model name cannot hold an API key') });
    expect(await refused('routing.set', { routing: { plan: [{ providerId: 'gw', model: `m-${plainKey}` }] } })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await refused('pricing.set', { model: plantedSecret, inputPerMillion: 1, outputPerMillion: 2 })).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await call<{ routing: Record<string, unknown> }>('routing.get')).routing).toEqual({});

    // A name that only looks technical is kept.
    await call('providers.update', { config: config({ label: 'Gateway token-2026 eu-west-1', models: ['ft:gpt-4o-mini:acme:support:9AbCdEf1'] }) });

    for (const error of refusals) expect(JSON.stringify(error)).not.toMatch(new RegExp(`${plantedSecret.slice(0, 16)}|${plainKey.slice(0, 16)}`));
    await core.dispose();
    cores.length = 0;
    assertNotInFiles(home, plantedSecret);
    assertNotInFiles(home, plainKey);
  });

  it('as the provider id (the key pasted into the id field, given with it or named by --api-key-env) is refused too', async () => {
    const home = createTempDir('sc-int-key-in-id-');
    // Short enough for an id (1-40 lowercase letters, digits, dashes), as some vendors' keys are.
    const idKey = `q${randomBytes(16).toString('hex')}`;
    const shapedKey = `sk-${randomBytes(16).toString('hex')}`;
    const core = createCore({ dataDir: home, host: 'cli', secrets: memorySecrets(), env: { GW_KEY: idKey } });
    cores.push(core);
    const call = coreCaller(core);
    const refused = (input: unknown) =>
      call('providers.add', input).then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(await refused({ config: config({ id: shapedKey, label: 'DeepSeek' }), apiKey: shapedKey })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('id cannot hold an API key') });
    expect(await refused({ config: config({ id: idKey, label: 'Gateway' }), apiKey: idKey })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('id cannot hold an API key') });
    expect(await refused({ config: config({ id: idKey, label: 'Gateway', apiKeyEnv: 'GW_KEY' }) })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('id cannot hold an API key') });
    expect(await refused({ config: config({ id: 'gw', label: `Gateway ${idKey}`, apiKeyEnv: 'GW_KEY' }) })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('name cannot hold an API key') });
    expect((await call<{ providers: unknown[] }>('providers.list')).providers).toHaveLength(0);
    await core.dispose();
    cores.length = 0;
    assertNotInFiles(home, idKey);
    assertNotInFiles(home, shapedKey);
  });

  it('a key in use that this process has not looked up yet (a fresh CLI) is still known: a project name, privacy term, provider name, routed model or price holding it is refused', async () => {
    const home = createTempDir('sc-int-key-in-use-');
    const envKey = `gw${randomBytes(20).toString('hex')}`;
    const idKey2 = `gx${randomBytes(20).toString('hex')}`;
    const first = createCore({ dataDir: home, host: 'cli', secrets: memorySecrets(), env: { GW_KEY: envKey } });
    await coreCaller(first)('providers.add', { config: config({ apiKeyEnv: 'GW_KEY' }) });
    await first.dispose();
    // The next command is another process: it has looked up no key yet.
    knownSecrets.clear();
    const core = createCore({ dataDir: home, host: 'cli', secrets: memorySecrets(), env: { GW_KEY: envKey, GW_KEY_2: idKey2 } });
    cores.push(core);
    const call = coreCaller(core);
    const refused = (channel: string, input: unknown) =>
      call(channel, input).then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(await refused('projects.create', { name: `Billing ${envKey}` })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('cannot hold an API key') });
    const kept = await call<{ id: string }>('projects.create', { name: 'Billing' });
    knownSecrets.clear();
    expect(await refused('projects.rename', { id: kept.id, name: `Billing ${envKey}` })).toMatchObject({ code: 'INVALID_INPUT' });
    knownSecrets.clear();
    expect(await refused('settings.set', { privacyGuard: { enabled: true, kinds: ['email'], terms: ['Acme', envKey] } })).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('API key') });
    // The same for a provider's name, a model in routing or a price, given in a process that has looked up no key.
    const fresh = async (channel: string, input: unknown) => {
      knownSecrets.clear();
      return refused(channel, input);
    };
    expect(await fresh('providers.add', { config: config({ id: 'other', label: `Other ${envKey}`, location: 'local', baseUrl: 'http://127.0.0.1:9/v1' }) })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await fresh('providers.update', { config: config({ label: `Gateway ${envKey}`, apiKeyEnv: 'GW_KEY' }) })).toMatchObject({ code: 'INVALID_INPUT' });
    // A change that names another variable: the key it holds, not yet in use, counts as given with it.
    expect(await fresh('providers.update', { config: config({ label: `Gateway ${idKey2}`, apiKeyEnv: 'GW_KEY_2' }) })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await fresh('routing.set', { routing: { code: [{ providerId: 'gw', model: `m-${envKey}` }] } })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await fresh('pricing.set', { model: `m-${envKey}`, inputPerMillion: 1, outputPerMillion: 1 })).toMatchObject({ code: 'INVALID_INPUT' });
    await core.dispose();
    cores.length = 0;
    assertNotInFiles(home, envKey);
    assertNotInFiles(home, idKey2);
  });
});
