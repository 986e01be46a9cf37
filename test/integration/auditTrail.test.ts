// The audit trail through the real core, SDK adapter and CLI: a request to a cloud server (a
// loopback fake standing in for one) leaves one row; a local one none; tampering is named by
// `service-creator audit verify` in another process.
import { createHash } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { runBin, startBin } from '../support/cliProcess.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };

describe('the audit trail of what left the machine', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  it('a CLI killed (kill -9) while its request is out still leaves that request in the trail: the next process appends it as interrupted', async () => {
    const cloud = await startFakeOpenAiServer({ defaultStep: { hang: true } });
    servers.push(cloud);
    const dataDir = createTempDir('sc-int-audit-killed-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {} });
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: cloud.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'CLOUD_KEY' } });
    await core.dispose();
    const env = { SERVICE_CREATOR_HOME: dataDir, CLOUD_KEY: 'sk-test-audit' };
    const chat = startBin(['chat', '--task', 'code', '--prompt', 'write main.py'], env);
    const deadline = Date.now() + 20_000;
    while (cloud.count('/v1/chat/completions') === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cloud.count('/v1/chat/completions'), chat.stderr()).toBe(1);
    chat.child.kill('SIGKILL');
    await chat.exited;
    const shown = await runBin(['audit', 'show', '--json'], env);
    expect(shown.code, shown.stderr).toBe(0);
    const rows = shown.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { row: Record<string, unknown> }).row);
    expect(rows).toMatchObject([{ seq: 1, providerId: 'cloud', host: new URL(cloud.url).host, model: 'gpt-fake', outcome: 'interrupted', bytesReceived: 0 }]);
    expect(rows[0]?.bytesSent).toBeGreaterThan(0);
    const verified = await runBin(['audit', 'verify'], env);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    // Taken once: nothing is left written ahead, and another process appends nothing more.
    const db = new Database(join(dataDir, 'service-creator.db'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM audit_pending').pluck().get()).toBe(0);
    db.close();
    expect((await runBin(['audit', 'show', '--json'], env)).stdout.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('records each cloud request (host, bytes, the prompt only as a hash, what the guard took out), none for a local one; audit verify names a changed row', async () => {
    // The cloud server says back what it was sent: the placeholder the guard put in, restored to the address here.
    const cloud = await startFakeOpenAiServer({ respond: (body) => ({ reply: `you said: ${(body as { messages: { content: string }[] }).messages.at(-1)?.content ?? ''}` }) });
    const local = await startFakeOpenAiServer({ defaultStep: { reply: 'here' } });
    servers.push(cloud, local);
    const dataDir = createTempDir('sc-int-audit-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: { CLOUD_KEY: 'sk-test-audit' } });
    cores.push(core);
    const call = coreCaller(core);
    const provider = (id: string, location: 'cloud' | 'local', url: string): ProviderConfig => ({ id, type: 'openai', label: id, location, baseUrl: url, models: ['gpt-fake'], limits: {}, enabled: true, ...(location === 'cloud' ? { apiKeyEnv: 'CLOUD_KEY' } : {}) });
    await call('providers.add', { config: provider('cloud', 'cloud', cloud.url) });
    await call('providers.add', { config: provider('here', 'local', local.url) });
    await call('settings.set', { privacyMode: 'cloud-allowed', privacyGuard: { enabled: true, kinds: ['email'], terms: [] } });
    const ask = (target: string, content: string) => core.gateway.chat({ task: 'code', only: { providerId: target, model: 'gpt-fake' }, messages: [{ role: 'user', content }] });

    await ask('here', 'a local question');
    expect(core.gateway.audit.list()).toEqual([]);
    await ask('cloud', 'write to ops@corp.example');
    await ask('cloud', 'a second question');

    const rows = core.gateway.audit.list();
    expect(rows).toHaveLength(2);
    const first = rows[1];
    const sentBody = cloud.requests.find((request) => request.path.endsWith('/chat/completions'))?.json as { messages: unknown };
    const sentText = (sentBody.messages as { content: string }[]).at(-1)?.content ?? '';
    expect(sentText).not.toContain('ops@corp.example');
    // Received: the bytes the server sent (with the placeholder), not the answer after the address was put back.
    expect(first).toMatchObject({ seq: 1, task: 'code', providerId: 'cloud', host: new URL(cloud.url).host, model: 'gpt-fake', outcome: 'ok', redactions: { email: 1 }, bytesReceived: Buffer.byteLength(`you said: ${sentText}`) });
    // The hash and size of what was sent (placeholders, not the address), never the text itself.
    expect(first?.promptSha256).toBe(createHash('sha256').update(JSON.stringify(sentBody.messages)).digest('hex'));
    expect(first?.bytesSent).toBe(Buffer.byteLength(JSON.stringify(sentBody.messages)));
    expect(JSON.stringify(rows)).not.toContain('ops@corp.example');

    const intact = await runBin(['audit', 'verify'], { SERVICE_CREATOR_HOME: dataDir });
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain('The audit trail is intact: 2 rows');
    const shown = await runBin(['audit', 'show'], { SERVICE_CREATOR_HOME: dataDir });
    expect(shown.stdout).toMatch(new RegExp(String.raw`#1 .* code → cloud at 127\.0\.0\.1:\d+ \(gpt-fake\), ok, \d+ bytes sent, ${Buffer.byteLength(`you said: ${sentText}`)} received, taken out: 1 email`));

    // Someone with the database file lowers a byte count.
    const raw = new Database(join(dataDir, 'service-creator.db'));
    raw.prepare('UPDATE audit_log SET bytes_sent = 1 WHERE seq = 1').run();
    raw.close();
    const tampered = await runBin(['audit', 'verify'], { SERVICE_CREATOR_HOME: dataDir });
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/The audit trail was tampered with: row 1 \(.*, cloud at 127\.0\.0\.1:\d+\) was changed after it was written\./);
  });

  // This machine's own address on its network: a server there is reached as another machine's would be.
  const networkAddress = Object.values(networkInterfaces()).flat().find((address) => address?.family === 'IPv4' && !address.internal)?.address;

  it.skipIf(networkAddress === undefined)('records a request to a server marked local that is not on this machine (a LAN address): it left the machine too; one on loopback leaves none', async () => {
    const lan = await startFakeOpenAiServer({ host: '0.0.0.0', defaultStep: { reply: 'from the box in the cupboard' } });
    const here = await startFakeOpenAiServer({ defaultStep: { reply: 'here' } });
    servers.push(lan, here);
    const dataDir = createTempDir('sc-int-audit-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: {} });
    cores.push(core);
    const call = coreCaller(core);
    const lanUrl = `http://${networkAddress ?? ''}:${new URL(lan.url).port}/v1`;
    await call('providers.add', { config: { id: 'box', type: 'openai', label: 'box', location: 'local', baseUrl: lanUrl, models: ['m'], limits: {}, enabled: true } });
    await call('providers.add', { config: { id: 'here', type: 'openai', label: 'here', location: 'local', baseUrl: here.url, models: ['m'], limits: {}, enabled: true } });
    const ask = (target: string) => core.gateway.chat({ task: 'code', only: { providerId: target, model: 'm' }, messages: [{ role: 'user', content: 'a question' }] });
    expect((await ask('here')).text).toBe('here');
    expect(core.gateway.audit.list()).toEqual([]);
    expect((await ask('box')).text).toBe('from the box in the cupboard');
    expect(core.gateway.audit.list()).toMatchObject([{ seq: 1, providerId: 'box', host: new URL(lanUrl).host, outcome: 'ok', bytesReceived: Buffer.byteLength('from the box in the cupboard') }]);
  });

  it.skipIf(networkAddress === undefined)("takes the app's own keys out of a prompt to a server marked local that is not on this machine, as for a cloud provider", async () => {
    const lan = await startFakeOpenAiServer({ host: '0.0.0.0', defaultStep: { reply: 'noted' } });
    servers.push(lan);
    const dataDir = createTempDir('sc-int-audit-');
    const key = 'sk-test-lan-0123456789abcdefghij';
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: { CLOUD_KEY: key } });
    cores.push(core);
    const call = coreCaller(core);
    // A cloud provider whose key this process holds (never asked here).
    await call('providers.add', { config: { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: 'https://api.example.invalid/v1', models: ['m'], limits: {}, enabled: false, apiKeyEnv: 'CLOUD_KEY' } });
    await call('providers.add', { config: { id: 'box', type: 'openai', label: 'box', location: 'local', baseUrl: `http://${networkAddress ?? ''}:${new URL(lan.url).port}/v1`, models: ['m'], limits: {}, enabled: true } });
    await core.gateway.chat({ task: 'code', only: { providerId: 'box', model: 'm' }, messages: [{ role: 'user', content: `my key is ${key}, keep it` }] });
    const sent = JSON.stringify(lan.requests.find((request) => request.path.endsWith('/chat/completions'))?.json);
    expect(sent).toContain('my key is');
    expect(sent).not.toContain(key);
    expect(core.gateway.audit.list()).toMatchObject([{ providerId: 'box', redactions: { key: 1 } }]);
  });
});
