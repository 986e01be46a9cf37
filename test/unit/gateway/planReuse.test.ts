import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { ModelGateway } from '../../../src-main/gateway/ModelGateway.ts';
import { providerDescriptors } from '../../../src-main/providers/descriptors/providerDescriptors.ts';
import { ProviderRegistry } from '../../../src-main/providers/descriptors/ProviderRegistry.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { ProviderRepository } from '../../../src-main/store/ProviderRepository.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * The router makes an `ordered` task's plan once per configuration and plan version. What the
 * plan depends on beyond the stored configuration (which providers have a key, the models a
 * server lists) must still be seen on the very next call.
 */
const servers: FakeServer[] = [];
const gateways: ModelGateway[] = [];
const databases: Database[] = [];
const tempDir = useTempDirs();
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  for (const db of databases.splice(0)) db.close();
});

const ask = { task: 'code' as const, messages: [{ role: 'user' as const, content: 'write the handler' }] };

async function setUp(env: Record<string, string | undefined>) {
  const server = await startFakeOpenAiServer({ defaultStep: { reply: 'from the cloud' } });
  servers.push(server);
  const db = openDatabase(join(tempDir(), 'plan.db'));
  databases.push(db);
  const stored = new ProviderRepository(db);
  const cloud: ProviderConfig = { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: server.url, apiKeyEnv: 'PLAN_KEY', models: ['m'], limits: {}, enabled: true };
  stored.add(cloud);
  // The repositories hand out the same objects until the configuration changes; so does this.
  const routing = {};
  const gateway = new ModelGateway({
    db,
    providers: () => stored.list().providers,
    routing: () => routing,
    privacyMode: () => 'cloud-allowed',
    registry: new ProviderRegistry(providerDescriptors),
    secrets: { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false },
    env,
    modelDirs: [],
    pricing: { asOf: 'test', prices: new Map() },
  });
  gateways.push(gateway);
  return { server, gateway, stored };
}

describe('an ordered plan made once per configuration', () => {
  it('sees a key that appears, and goes, on the next call, with the configuration unchanged', async () => {
    const env: Record<string, string | undefined> = {};
    const { server, gateway } = await setUp(env);
    const refused = await gateway.chat(ask).catch((error: unknown) => error);
    expect(refused).toMatchObject({ message: expect.stringContaining('no API key configured for "cloud"') });
    expect(server.count()).toBe(0);

    env.PLAN_KEY = 'sk-plan-reuse-test-key';
    expect((await gateway.chat(ask)).text).toBe('from the cloud');
    expect((await gateway.chat(ask)).text).toBe('from the cloud');
    expect(server.count()).toBe(2);

    delete env.PLAN_KEY;
    await expect(gateway.chat(ask)).rejects.toMatchObject({ message: expect.stringContaining('no API key configured for "cloud"') });
    expect(server.count()).toBe(2);
  });

  it('sees a provider disabled in the store on the next call', async () => {
    const { server, gateway, stored } = await setUp({ PLAN_KEY: 'sk-plan-reuse-test-key' });
    expect((await gateway.chat(ask)).text).toBe('from the cloud');
    const [config] = stored.list().providers;
    stored.update({ ...(config as ProviderConfig), enabled: false });
    await expect(gateway.chat(ask)).rejects.toMatchObject({ message: expect.stringContaining('provider "cloud" is disabled') });
    expect(server.count()).toBe(1);
  });
});

describe('gateway.chat without a layer of its own', () => {
  it('answers a local provider (nothing to resolve first), and a store that fails is a rejected promise, never a throw', async () => {
    const server = await startFakeOpenAiServer({ defaultStep: { reply: 'from this machine' } });
    servers.push(server);
    const db = openDatabase(join(tempDir(), 'local.db'));
    const stored = new ProviderRepository(db);
    stored.add({ id: 'lan', type: 'openai', label: 'lan', location: 'local', baseUrl: server.url, models: ['m'], limits: {}, enabled: true });
    const gateway = new ModelGateway({
      db,
      providers: () => stored.list().providers,
      routing: () => ({}),
      privacyMode: () => 'local-only',
      registry: new ProviderRegistry(providerDescriptors),
      secrets: { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false },
      env: {},
      modelDirs: [],
      pricing: { asOf: 'test', prices: new Map() },
      configFromStore: true,
    });
    gateways.push(gateway);
    for (let call = 0; call < 3; call++) expect((await gateway.chat(ask)).text).toBe('from this machine');
    db.close();
    let thrown: unknown;
    let answer: Promise<unknown> | undefined;
    try {
      answer = gateway.chat(ask);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeUndefined();
    await expect(answer).rejects.toThrow(/not open/);
    expect(server.count()).toBe(3);
  });
});
