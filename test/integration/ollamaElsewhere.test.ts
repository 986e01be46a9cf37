// An Ollama server on another machine (the protocol-level fake listening on this machine's own
// LAN address, not loopback): its prompts leave this machine, so it is cloud until the user marks
// it local. Local-only mode sends it nothing; when cloud is allowed each request is in the audit
// trail with its host; marked local (`providers add --local`) it is used in Local-only mode, and
// its requests are still audited (they left the machine).
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { runBin } from '../support/cliProcess.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOllamaServer, type FakeOllamaServer } from '../support/fakes/fakeOllamaServer.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
/** This machine's first IPv4 address that is not loopback: what another machine would reach it by. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal)?.address;

describe.skipIf(lanAddress === undefined)('an Ollama server at another address', () => {
  const cores: Core[] = [];
  const servers: FakeOllamaServer[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  async function setUp(addArgs: string[] = []) {
    const server = await startFakeOllamaServer({ host: lanAddress, defaultStep: { reply: 'from the GPU box' } });
    servers.push(server);
    const dataDir = createTempDir('sc-int-ollama-elsewhere-');
    const env = { SERVICE_CREATOR_HOME: dataDir };
    const added = await runBin(['providers', 'add', '--id', 'gpu-box', '--type', 'ollama', '--base-url', server.url, '--model', 'qwen2.5-coder:7b', ...addArgs], env);
    expect(added.code, added.stderr).toBe(0);
    const listed = await runBin(['providers', 'list'], env);
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {} });
    cores.push(core);
    const chats = () => server.count('/api/chat');
    return { server, core, call: coreCaller(core), listed: listed.stdout, chats };
  }

  const ask = (core: Core) => core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'write main.py' }] });

  it('counts as cloud: Local-only mode sends it nothing; allowed, each request is audited with its host', async () => {
    const { server, core, call, listed, chats } = await setUp();
    expect(listed).toContain('gpu-box [ollama, cloud]');
    // Local-only is the default mode.
    const refused = await ask(core).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'NO_ROUTE' });
    expect(chats()).toBe(0);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    expect((await ask(core)).text).toBe('from the GPU box');
    expect(chats()).toBe(1);
    const rows = core.gateway.audit.list();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ providerId: 'gpu-box', host: new URL(server.url).host });
  });

  it('marked local by the user, Local-only mode uses it; its requests still left this machine, so each is audited with its host', async () => {
    const { server, core, listed, chats } = await setUp(['--local']);
    expect(listed).toContain('gpu-box [ollama, local]');
    expect((await ask(core)).text).toBe('from the GPU box');
    expect(chats()).toBe(1);
    expect(core.gateway.audit.list()).toMatchObject([{ providerId: 'gpu-box', host: new URL(server.url).host }]);
  });
});
