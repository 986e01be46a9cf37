// A project kept on this machine (projects.local_only) sends nothing about itself to a collector
// elsewhere, as Local-only mode holds such a collector back: its calls leave no span there, while
// another project's calls do. The collector is a loopback receiver reached by an IPv4-mapped
// address (http://[::ffff:127.0.0.1]:port), which the app counts as another machine.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { Project } from '../../src-shared/domain/project.ts';
import { isLoopbackUrl } from '../../src-shared/domain/loopbackUrl.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlpReceiver.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };

describe('telemetry of a project kept on this machine', () => {
  const open: { core?: Core; server?: FakeServer; receiver?: OtlpReceiver }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core?.dispose();
      await item.server?.close();
      await item.receiver?.close();
    }
  });

  it('reaches no collector elsewhere; other projects\' calls do, and a collector on this machine gets both', async () => {
    const receiver = await startOtlpReceiver();
    const server = await startFakeOpenAiServer({ defaultStep: { reply: 'fine' } });
    const core = createCore({ dataDir: createTempDir('sc-int-kept-otel-'), host: 'cli', secrets: noSecrets, env: {} });
    open.push({ core, server, receiver });
    const call = coreCaller(core);
    const elsewhere = receiver.url.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    expect(isLoopbackUrl(elsewhere)).toBe(false);
    await call('settings.set', { privacyMode: 'cloud-allowed', telemetry: { enabled: true, endpoint: elsewhere, includePrompts: false } });
    await call('providers.add', { config: { id: 'here', type: 'openai', label: 'here', location: 'local', baseUrl: server.url, models: ['gpt-fake'], limits: {}, enabled: true } });
    const kept = await call<Project>('projects.create', { name: 'Kept here' });
    const other = await call<Project>('projects.create', { name: 'Anywhere' });
    await call('projects.setLocalOnly', { id: kept.id, localOnly: true });
    const ask = (projectId: string) => core.gateway.chat({ task: 'code', projectId, messages: [{ role: 'user', content: 'hello' }] });
    const projectsSeen = () => receiver.spans().map((span) => span.attributes['service_creator.project_id']);

    await ask(kept.id);
    await ask(other.id);
    await ask(kept.id);
    core.gateway.attempts.flush();
    await core.observability.flush();
    expect(projectsSeen()).toEqual([other.id]);

    await call('settings.set', { telemetry: { enabled: true, endpoint: receiver.url, includePrompts: false } });
    await ask(kept.id);
    core.gateway.attempts.flush();
    await core.observability.flush();
    expect(projectsSeen()).toEqual([other.id, kept.id]);
  });
});
