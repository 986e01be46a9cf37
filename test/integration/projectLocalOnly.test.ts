// A project kept on this machine: whatever the privacy mode, none of its model calls reaches a
// cloud provider (counted at a loopback fake standing in for one), and other projects are unchanged.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { Project } from '../../src-shared/domain/project.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { runBin } from '../support/cliProcess.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const chats = (server: FakeServer) => server.count('/v1/chat/completions');

describe('a project kept on this machine', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  async function setup(withLocal: boolean) {
    const cloud = await startFakeOpenAiServer({ defaultStep: { reply: 'from the cloud' } });
    const local = await startFakeOpenAiServer({ defaultStep: { reply: 'from this machine' } });
    servers.push(cloud, local);
    const dataDir = createTempDir('sc-int-local-project-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: { CLOUD_KEY: 'sk-test-cloud' } });
    cores.push(core);
    const call = coreCaller(core);
    const provider = (id: string, location: 'cloud' | 'local', url: string): ProviderConfig => ({ id, type: 'openai', label: id, location, baseUrl: url, models: ['gpt-fake'], limits: {}, enabled: true, ...(location === 'cloud' ? { apiKeyEnv: 'CLOUD_KEY' } : {}) });
    await call('providers.add', { config: provider('cloud', 'cloud', cloud.url) });
    if (withLocal) await call('providers.add', { config: provider('here', 'local', local.url) });
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    // The cloud provider first for every task: without the project's mark, calls go there.
    await call('routing.set', { routing: { code: [{ providerId: 'cloud', model: 'gpt-fake' }, ...(withLocal ? [{ providerId: 'here', model: 'gpt-fake' }] : [])] } });
    const kept = await call<Project>('projects.create', { name: 'Kept here' });
    const other = await call<Project>('projects.create', { name: 'Anywhere' });
    return { cloud, local, core, call, kept, other, dataDir };
  }

  it('goes to the local target, never the cloud one, while other projects follow the privacy mode', async () => {
    const { cloud, local, core, call, kept, other } = await setup(true);
    const marked = await call<Project>('projects.setLocalOnly', { id: kept.id, localOnly: true });
    expect(marked.localOnly).toBe(true);
    const ask = (projectId: string) => core.gateway.chat({ task: 'code', projectId, messages: [{ role: 'user', content: 'hello' }] });

    expect((await ask(kept.id)).text).toBe('from this machine');
    expect(chats(cloud)).toBe(0);
    expect((await ask(other.id)).text).toBe('from the cloud');
    expect(chats(cloud)).toBe(1);
    // Prompts of the kept project are sized for the target they will go to.
    expect((await core.gateway.promptBudget('code', undefined, kept.id))?.contextLength).toBeGreaterThan(0);

    await call('projects.setLocalOnly', { id: kept.id, localOnly: false });
    expect((await ask(kept.id)).text).toBe('from the cloud');
    expect(local.requests.filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(1);
  });

  it('with only a cloud provider the call is refused in words naming the project\'s mark, and nothing is sent', async () => {
    const { cloud, core, call, kept } = await setup(false);
    await call('projects.setLocalOnly', { id: kept.id, localOnly: true });
    const failure = await core.gateway.chat({ task: 'code', projectId: kept.id, messages: [{ role: 'user', content: 'hello' }] }).catch((error: unknown) => error);
    expect((failure as { code?: string }).code).toBe('NO_ROUTE');
    expect((failure as Error).message).toContain('this project is kept on this machine');
    expect(chats(cloud)).toBe(0);
  });

  it('the mark set from the CLI in another process holds for the app\'s next call', async () => {
    const { cloud, core, kept, dataDir } = await setup(true);
    const result = await runBin(['projects', 'local-only', 'Kept here', 'on'], { SERVICE_CREATOR_HOME: dataDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"Kept here" is kept on this machine');
    expect((await core.gateway.chat({ task: 'code', projectId: kept.id, messages: [{ role: 'user', content: 'hello' }] })).text).toBe('from this machine');
    expect(chats(cloud)).toBe(0);
    const listed = await runBin(['projects', 'list'], { SERVICE_CREATOR_HOME: dataDir });
    expect(listed.stdout).toMatch(/Kept here .*kept on this machine/);
  });
});
