import { effectiveTelemetry, telemetrySends } from '../../../src-shared/domain/telemetrySends.ts';
import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { createCore } from '../../../src-main/core/createCore.ts';
import type { LlmProvider } from '../../../src-main/providers/LlmProvider.ts';
import { KeychainUnavailableError } from '../../../src-main/secrets/KeychainUnavailableError.ts';
import type { SecretStore } from '../../../src-main/secrets/SecretStore.ts';
import { scriptedProvider, type Step } from '../../support/scriptedProvider.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';
import { assertNotInFiles } from '../../support/plantedSecret.ts';
import { describeNetworkUse } from '../../../src-main/core/describeNetworkUse.ts';
import { providerDescriptors } from '../../../src-main/providers/descriptors/providerDescriptors.ts';
import { ProviderRegistry } from '../../../src-main/providers/descriptors/ProviderRegistry.ts';

function memorySecrets(): SecretStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    backend: 'memory',
    values,
    get: async (account) => values.get(account),
    set: async (account, secret) => void values.set(account, secret),
    delete: async (account) => values.delete(account),
    has: async (account) => values.has(account),
  };
}

const unavailableSecrets: SecretStore = {
  backend: 'none',
  get: async () => {
    throw new KeychainUnavailableError({ reason: 'no-service' });
  },
  set: async () => {
    throw new KeychainUnavailableError({ reason: 'no-service' });
  },
  delete: async () => {
    throw new KeychainUnavailableError({ reason: 'no-service' });
  },
  has: async () => {
    throw new KeychainUnavailableError({ reason: 'no-service' });
  },
};

const cloudConfig = (id: string): ProviderConfig => ({ id, type: 'openai', label: id, location: 'cloud', models: ['m'], limits: {}, enabled: true });
const localConfig = (id: string): ProviderConfig => ({ id, type: 'ollama', label: id, location: 'local', models: ['m'], limits: {}, enabled: true });

describe('ProviderService (through the core and its channels)', () => {
  const tempDir = useTempDirs();

  function setup(options: { secrets?: SecretStore; scripts?: Record<string, Step[]>; env?: Record<string, string> } = {}) {
    const dataDir = tempDir();
    const secrets = options.secrets ?? memorySecrets();
    const adapters = new Map<string, ReturnType<typeof scriptedProvider>>();
    const healthCalls: string[] = [];
    const core = createCore({
      dataDir,
      host: 'cli',
      secrets,
      env: options.env ?? {},
      routerOptions: { baseDelayMs: 1, maxDelayMs: 5, maxRetries: 0 },
      createProvider: (config) => {
        const provider = scriptedProvider(config.id, options.scripts?.[config.id] ?? [{ text: 'hi' }]);
        const health = provider.health.bind(provider);
        provider.health = async () => {
          healthCalls.push(config.id);
          return health();
        };
        adapters.set(config.id, provider);
        return provider as LlmProvider;
      },
    });
    return { core, dataDir, secrets, healthCalls, adapters };
  }

  it('stores the key in the keychain only: never in the database, never in a result', async () => {
    const planted = `sk-planted-${Math.random().toString(36).slice(2)}`;
    const { core, dataDir, secrets } = setup();
    await core.dispatch('settings.set', { privacyMode: 'cloud-allowed' });
    const added = await core.dispatch('providers.add', { config: cloudConfig('gpt'), apiKey: planted });
    expect(added).toMatchObject({ ok: true, value: { state: 'healthy', keyConfigured: true, keySource: 'keychain' } });
    const listed = await core.dispatch('providers.list', undefined);
    expect(JSON.stringify([added, listed])).not.toContain(planted);
    expect((secrets as ReturnType<typeof memorySecrets>).values.get('gpt')).toBe(planted);
    await core.dispose();
    assertNotInFiles(dataDir, planted);
  });

  it('saves nothing when the keychain refuses the key', async () => {
    const { core } = setup({ secrets: unavailableSecrets });
    const result = await core.dispatch('providers.add', { config: cloudConfig('gpt'), apiKey: 'sk-x' });
    expect(result).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
    expect(await core.dispatch('providers.list', undefined)).toMatchObject({ ok: true, value: { providers: [] } });
    core.close();
  });

  it('reads a key from the environment variable the provider names, read-only', async () => {
    const { core, secrets } = setup({ env: { TEAM_KEY: 'sk-env' } });
    await core.dispatch('settings.set', { privacyMode: 'cloud-allowed' });
    const result = await core.dispatch('providers.add', { config: { ...cloudConfig('gpt'), apiKeyEnv: 'TEAM_KEY' } });
    expect(result).toMatchObject({ ok: true, value: { keyConfigured: true, keySource: 'env', state: 'healthy' } });
    expect((secrets as ReturnType<typeof memorySecrets>).values.size).toBe(0);
    core.close();
  });

  it('shows a cloud provider without a key as not configured, and a local one as not needing one', async () => {
    const { core } = setup();
    await core.dispatch('providers.add', { config: cloudConfig('gpt') });
    await core.dispatch('providers.add', { config: localConfig('ollama') });
    const listed = await core.dispatch('providers.list', undefined);
    if (!listed.ok) throw new Error(listed.error.message);
    const states = Object.fromEntries((listed.value as { providers: { config: { id: string }; state: string; keyConfigured: boolean }[] }).providers.map((p) => [p.config.id, p.state]));
    expect(states).toEqual({ gpt: 'not-configured', ollama: 'healthy' });
    core.close();
  });

  it('in local-only mode never checks a cloud provider on its own', async () => {
    // Providers written by an earlier run (so never checked in this process).
    const fresh = setup({ env: { OPENAI_API_KEY: 'sk-env' } });
    fresh.core.db.prepare("INSERT INTO providers (id, position, config) VALUES ('gpt', 0, ?), ('ollama', 1, ?)").run(
      JSON.stringify(cloudConfig('gpt')),
      JSON.stringify(localConfig('ollama')),
    );
    await fresh.core.providers.list({ awaitChecks: true });
    expect(fresh.healthCalls).toEqual(['ollama']);
    await fresh.core.dispatch('settings.set', { privacyMode: 'cloud-allowed' });
    await fresh.core.providers.list({ awaitChecks: true });
    expect(fresh.healthCalls).toEqual(['ollama', 'gpt']);
    fresh.core.close();
  });

  it('in local-only mode adding, editing, listing and key changes never check a cloud provider; the explicit check is refused', async () => {
    const { core, healthCalls } = setup({ env: { OPENAI_API_KEY: 'sk-env' } });
    const config = { ...cloudConfig('gpt'), baseUrl: 'https://gateway.example:8443/v1' };
    const added = await core.dispatch('providers.add', { config });
    expect(added).toMatchObject({ ok: true, value: { state: 'unknown', detail: expect.stringMatching(/^Not checked: Local-only mode .*gateway\.example:8443/) } });
    expect(await core.dispatch('providers.update', { config: { ...config, models: ['m', 'n'] } })).toMatchObject({ ok: true, value: { state: 'unknown' } });
    expect(await core.dispatch('providers.setKey', { id: 'gpt', apiKey: 'sk-typed-in-0000000000' })).toMatchObject({ ok: true, value: { state: 'unknown' } });
    expect(await core.dispatch('providers.removeKey', { id: 'gpt' })).toMatchObject({ ok: true, value: { state: 'unknown' } });
    await core.providers.list({ awaitChecks: true });
    const tested = await core.dispatch('providers.test', { id: 'gpt' });
    expect(tested).toMatchObject({ ok: false, error: { code: 'BLOCKED_BY_PRIVACY_MODE', message: expect.stringContaining('would contact gateway.example:8443') } });
    expect(healthCalls).toEqual([]);
    // A server marked local is checked in the same mode.
    expect(await core.dispatch('providers.add', { config: localConfig('ollama') })).toMatchObject({ ok: true, value: { state: 'healthy' } });
    expect(await core.dispatch('providers.test', { id: 'ollama' })).toMatchObject({ ok: true, value: { state: 'healthy' } });
    expect(healthCalls).toEqual(['ollama', 'ollama']);
    // Where the mode allows the cloud, the same actions check it.
    await core.dispatch('settings.set', { privacyMode: 'local-first' });
    expect(await core.dispatch('providers.test', { id: 'gpt' })).toMatchObject({ ok: true, value: { state: 'healthy' } });
    expect(healthCalls).toEqual(['ollama', 'ollama', 'gpt']);
    core.close();
  });

  it('reports a rejected key and an open circuit in the status', async () => {
    const { core } = setup({ scripts: { gpt: [{ fail: 'auth', status: 401 }], flaky: [{ fail: 'server', status: 500 }] } });
    await core.dispatch('settings.set', { privacyMode: 'cloud-allowed' });
    await core.providers.add(cloudConfig('gpt'), 'sk-wrong');
    await expect(core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ code: 'NO_ROUTE' });
    const after = await core.providers.list();
    expect(after.providers[0]).toMatchObject({ state: 'key-rejected' });
    // A new key clears the rejection.
    const renewed = await core.dispatch('providers.setKey', { id: 'gpt', apiKey: 'sk-right' });
    expect(renewed).toMatchObject({ ok: true, value: { state: 'healthy' } });
    core.close();
  });

  it('records every attempt with its cost from the price table, user prices winning', async () => {
    const { core } = setup();
    await core.dispatch('settings.set', { privacyMode: 'cloud-allowed' });
    await core.providers.add({ ...cloudConfig('gpt'), models: ['gpt-4o'] }, 'sk-1');
    await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'x' }] });
    expect(await core.dispatch('pricing.set', { model: 'gpt-4o', inputPerMillion: 1000, outputPerMillion: 0 })).toMatchObject({ ok: true });
    await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'x' }] });
    const attempts = await core.dispatch('usage.attempts', { limit: 10 });
    if (!attempts.ok) throw new Error(attempts.error.message);
    const [custom, shipped] = attempts.value as { costUsd?: number; inputTokens?: number }[];
    // 10 input tokens at $2.50/M and 2 output tokens ('h', 'i') at $10/M, from resources/pricing.json.
    expect(shipped?.costUsd).toBeCloseTo((10 * 2.5 + 2 * 10) / 1_000_000, 10);
    expect(custom?.costUsd).toBeCloseTo(0.01, 10);
    const prices = await core.dispatch('pricing.list', undefined);
    expect(prices).toMatchObject({ ok: true, value: { prices: expect.arrayContaining([{ model: 'gpt-4o', inputPerMillion: 1000, outputPerMillion: 0, source: 'custom' }]) } });
    expect(await core.dispatch('pricing.reset', { model: 'gpt-4o' })).toMatchObject({ ok: true });
    expect(await core.dispatch('pricing.reset', { model: 'gpt-4o' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    core.close();
  });

  it('removing a provider removes its key', async () => {
    const { core, secrets } = setup();
    await core.providers.add(cloudConfig('gpt'), 'sk-1');
    await core.dispatch('providers.remove', { id: 'gpt' });
    expect((secrets as ReturnType<typeof memorySecrets>).values.has('gpt')).toBe(false);
    core.close();
  });

  it('refuses invalid provider configurations at the boundary, naming the field', async () => {
    const { core } = setup();
    const bad = await core.dispatch('providers.add', { config: { ...cloudConfig('Bad Id'), baseUrl: 'ftp://x' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/config\.id.*config\.baseUrl|config\.baseUrl.*config\.id/s) } });
    core.close();
  });
});

describe('describeNetworkUse', () => {
  const registry = new ProviderRegistry(providerDescriptors);
  const hostOf = (config: ProviderConfig) => registry.host(config);
  it('is empty in local-only mode with local providers', () => {
    expect(describeNetworkUse([localConfig('o'), cloudConfig('c')], 'local-only', hostOf)).toEqual([]);
  });
  it('names each cloud provider the mode allows, with its host', () => {
    expect(describeNetworkUse([cloudConfig('c')], 'cloud-allowed', hostOf)).toEqual(['c (api.openai.com): prompts and generated code, for the tasks routed to it']);
    expect(describeNetworkUse([cloudConfig('c')], 'local-first', hostOf)[0]).toContain('when no local model can answer');
  });
  it('names a "local" server that is on another machine', () => {
    expect(describeNetworkUse([{ ...localConfig('gpu'), baseUrl: 'http://10.0.0.5:11434' }], 'local-only', hostOf)[0]).toContain('10.0.0.5:11434');
    expect(describeNetworkUse([{ ...localConfig('here'), baseUrl: 'http://127.0.0.1:11434' }], 'local-only', hostOf)).toEqual([]);
  });
  it('names the telemetry collector while telemetry sends: on, and allowed by the privacy mode (Local only holds back a collector elsewhere)', () => {
    const on = { enabled: true, endpoint: 'https://otel.example.com:4318', includePrompts: false as const };
    const line = 'OpenTelemetry collector (otel.example.com:4318): timings, token counts, costs and outcomes of model calls, generation runs and sandbox runs; never prompts or code';
    expect(describeNetworkUse([], 'local-first', hostOf, on)).toEqual([line]);
    expect(describeNetworkUse([], 'cloud-allowed', hostOf, on)).toEqual([line]);
    expect(describeNetworkUse([], 'local-only', hostOf, on)).toEqual([]);
    expect(describeNetworkUse([], 'local-only', hostOf, { ...on, endpoint: 'http://127.0.0.1:4318' })).toEqual([expect.stringContaining('OpenTelemetry collector (127.0.0.1:4318)')]);
    expect(describeNetworkUse([], 'cloud-allowed', hostOf, { ...on, enabled: false })).toEqual([]);
  });
  it('telemetry as applied: off while Local only holds its collector back, the setting itself kept', () => {
    const on = { enabled: true, endpoint: 'https://otel.example.com:4318', includePrompts: false as const };
    expect(effectiveTelemetry(on, 'local-only')).toEqual({ ...on, enabled: false });
    expect(effectiveTelemetry(on, 'local-first')).toBe(on);
    expect(effectiveTelemetry({ ...on, endpoint: 'http://localhost:4318' }, 'local-only').enabled).toBe(true);
    expect(telemetrySends({ ...on, endpoint: '' }, 'cloud-allowed')).toBe(false);
  });
});
