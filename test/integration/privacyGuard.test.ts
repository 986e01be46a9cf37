// The privacy guard, end to end through the real core and the OpenAI SDK adapter: what a cloud
// server receives (recorded by a protocol-level fake on loopback) and what the caller gets back.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import { chatStructured } from '../../src-main/gateway/chatStructured.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { assertNotInFiles } from '../support/plantedSecret.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const prompt = 'Allow 10.20.30.40 for ana.lopez@corp.example (ACME Corp), card 4111 1111 1111 1111.';

function sentText(server: FakeServer): string {
  const body = server.requests.filter((request) => request.path.endsWith('/chat/completions')).at(-1)?.json as { messages: { content: string }[] };
  return body.messages.map((message) => message.content).join('\n');
}

describe('the privacy guard', () => {
  const servers: FakeServer[] = [];
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const server of servers.splice(0)) await server.close();
  });

  async function setup(location: 'cloud' | 'local', reply: string) {
    const server = await startFakeOpenAiServer({ defaultStep: { reply, chunks: 7 } });
    servers.push(server);
    const core = createCore({ dataDir: createTempDir('sc-int-guard-'), host: 'cli', secrets: noSecrets, env: { GUARD_KEY: 'sk-test-guard-key-0123456789' } });
    cores.push(core);
    const call = coreCaller(core);
    const config: ProviderConfig = { id: 'remote', type: 'openai', label: 'remote', location, baseUrl: server.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'GUARD_KEY' };
    await call('providers.add', { config });
    await call('settings.set', { privacyMode: 'cloud-allowed', privacyGuard: { enabled: true, kinds: ['email', 'ip', 'card', 'term'], terms: ['ACME Corp'] } });
    return { server, core, call };
  }

  it('a cloud server receives placeholders, and the caller gets the values back, streamed chunk by chunk', async () => {
    const { server, core } = await setup('cloud', 'permit [IP_1] for [EMAIL_1] of [TERM_1]; never store [CARD_1].');
    const streamed: string[] = [];
    const result = await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: prompt }], onEvent: (event) => void (event.type === 'text' && streamed.push(event.text)) });
    const sent = sentText(server);
    for (const value of ['10.20.30.40', 'ana.lopez@corp.example', 'ACME Corp', '4111 1111 1111 1111']) expect(sent).not.toContain(value);
    expect(sent).toBe('Allow [IP_1] for [EMAIL_1] ([TERM_1]), card [CARD_1].');
    const restored = 'permit 10.20.30.40 for ana.lopez@corp.example of ACME Corp; never store 4111 1111 1111 1111.';
    expect(result.text).toBe(restored);
    expect(streamed.join('')).toBe(restored);
    expect(streamed.length).toBeGreaterThan(1);
  });

  it('a model that writes the placeholders back in another case or escaped still gives the values back; international numbers and URL-encoded addresses never leave', async () => {
    const { server, core, call } = await setup('cloud', 'permit [Ip_1] for [EMAIL\\_1], call [ phone_1 ].');
    await call('settings.set', { privacyGuard: { enabled: true, kinds: ['email', 'ip', 'phone'], terms: [] } });
    const streamed: string[] = [];
    const result = await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'Allow 10.20.30.40 for https://x.example/?to=ana%40corp.example, call +14155550132.' }], onEvent: (event) => void (event.type === 'text' && streamed.push(event.text)) });
    expect(sentText(server)).toBe('Allow [IP_1] for https://x.example/?to=[EMAIL_1], call [PHONE_1].');
    expect(result.text).toBe('permit 10.20.30.40 for ana%40corp.example, call +14155550132.');
    expect(streamed.join('')).toBe(result.text);
  });

  it('a structured answer gets values that need escaping in JSON (a backslash, quotes) put back escaped, so it still parses', async () => {
    const { server, core, call } = await setup('cloud', '{"owner": "[TERM_1]", "note": "for [TERM_2] only"}');
    await call('settings.set', { privacyGuard: { enabled: true, kinds: [], terms: ['CORP\\jdoe', 'ACME "Corp"'] } });
    const { value, repaired } = await chatStructured((request) => core.gateway.chat(request), {
      task: 'code',
      schema: z.object({ owner: z.string(), note: z.string() }),
      schemaName: 'owner',
      messages: [{ role: 'user', content: 'The owner is CORP\\jdoe of ACME "Corp".' }],
    });
    expect(sentText(server)).toBe('The owner is [TERM_1] of [TERM_2].');
    expect(value).toEqual({ owner: 'CORP\\jdoe', note: 'for ACME "Corp" only' });
    expect(repaired).toBe(false);
  });

  it('a structured answer wrapped in a ```json fence gets those values escaped too: it parses at once, with no repair call', async () => {
    const { server, core, call } = await setup('cloud', '```json\n{"owner": "[TERM_1]", "note": "for [TERM_2] only"}\n```');
    await call('settings.set', { privacyGuard: { enabled: true, kinds: [], terms: ['CORP\\jdoe', 'ACME "Corp"'] } });
    const { value, repaired } = await chatStructured((request) => core.gateway.chat(request), {
      task: 'code',
      schema: z.object({ owner: z.string(), note: z.string() }),
      schemaName: 'owner',
      messages: [{ role: 'user', content: 'The owner is CORP\\jdoe of ACME "Corp".' }],
    });
    expect(value).toEqual({ owner: 'CORP\\jdoe', note: 'for ACME "Corp" only' });
    expect(repaired).toBe(false);
    expect(server.requests.filter((request) => request.path.endsWith('/chat/completions'))).toHaveLength(1);
  });

  it('a structured call\'s JSON Schema is guarded as its messages are: values in descriptions, titles, enums, consts and defaults leave as placeholders (the app\'s own keys too), and an enum value comes back as itself', async () => {
    const { server, core } = await setup('cloud', '{"owner": "[TERM_1]", "contact": "[EMAIL_1]"}');
    const schema = z.object({
      owner: z.enum(['ACME Corp', 'Other Ltd']).describe('the customer, ACME Corp or another'),
      contact: z.string().describe('write to ana.lopez@corp.example; sign with sk-test-guard-key-0123456789').default('ana.lopez@corp.example'),
    }).meta({ title: 'owner of 10.20.30.40' });
    const { value, repaired } = await chatStructured((request) => core.gateway.chat(request), { task: 'code', schema, schemaName: 'owner', messages: [{ role: 'user', content: 'Who owns it?' }] });
    const body = server.requests.filter((request) => request.path.endsWith('/chat/completions')).at(-1)?.json as { response_format?: unknown };
    const sentSchema = JSON.stringify(body.response_format);
    for (const value of ['ACME Corp', 'ana.lopez@corp.example', 'sk-test-guard-key', '10.20.30.40']) expect(sentSchema).not.toContain(value);
    expect(sentSchema).toContain('[TERM_1]');
    expect(value).toEqual({ owner: 'ACME Corp', contact: 'ana.lopez@corp.example' });
    expect(repaired).toBe(false);
  });

  it('a local server gets the prompt as it is, and a guard that is off changes nothing but the app\'s own keys', async () => {
    const local = await setup('local', 'ok');
    await local.core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: prompt }] });
    expect(sentText(local.server)).toBe(prompt);

    const cloud = await setup('cloud', 'ok');
    await cloud.call('settings.set', { privacyGuard: { enabled: false, kinds: ['email'], terms: [] } });
    await cloud.core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: prompt }] });
    expect(sentText(cloud.server)).toBe(prompt);
    // Except the app's own keys: never sent in a prompt, guard on or off, whole or in part.
    await cloud.core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: `${prompt} Use sk-test-guard-key-0123456789 (backup: sk-test-guard-key-01234567_old).` }] });
    expect(sentText(cloud.server)).toBe(`${prompt} Use [KEY_1] (backup: [redacted]).`);
    expect(cloud.core.gateway.audit.list(1)[0]?.redactions).toEqual({ key: 2 });
  });

  it('with the response cache on, a repeated guarded request is answered from the cache with the values put back, and the app\'s key, in the prompt and echoed by the server, is in no file of the data folder', async () => {
    const appKey = 'sk-test-guard-key-0123456789';
    const server = await startFakeOpenAiServer({ defaultStep: { reply: `mail [EMAIL_1] from [IP_1] [EMAIL_7]; key [KEY_1]; echo ${appKey}.`, chunks: 9 } });
    servers.push(server);
    const dataDir = createTempDir('sc-int-guard-cache-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env: { GUARD_KEY: appKey } });
    cores.push(core);
    const call = coreCaller(core);
    await call('providers.add', { config: { id: 'remote', type: 'openai', label: 'remote', location: 'cloud', baseUrl: server.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'GUARD_KEY' } });
    await call('settings.set', { privacyMode: 'cloud-allowed', privacyGuard: { enabled: true, kinds: ['email', 'ip', 'key'], terms: [] }, responseCache: { enabled: true } });
    const request = () => ({ task: 'code' as const, messages: [{ role: 'system' as const, content: `Sign with ${appKey}.` }, { role: 'user' as const, content: 'Mail ana.lopez@corp.example from 10.20.30.40.' }] });
    const first = await core.gateway.chat(request());
    const streamed: string[] = [];
    const second = await core.gateway.chat({ ...request(), onEvent: (event) => void (event.type === 'text' && streamed.push(event.text)) });
    expect(server.requests.filter((sent) => sent.path.endsWith('/chat/completions'))).toHaveLength(1);
    expect(sentText(server)).toBe('Sign with [KEY_1].\nMail [EMAIL_1] from [IP_1].');
    expect(first.text).toBe('mail ana.lopez@corp.example from 10.20.30.40 [EMAIL_7]; key [KEY_1]; echo [redacted].');
    expect(second.attempts.at(-1)?.cacheHit).toBe(true);
    expect(second.text).toBe(first.text);
    expect(streamed.join('')).toBe(first.text);
    await core.dispose();
    cores.splice(0);
    assertNotInFiles(dataDir, appKey);
  });

  it('refuses a term list a user cannot have meant, in words', async () => {
    const { call } = await setup('cloud', 'ok');
    const failure = await call('settings.set', { privacyGuard: { enabled: true, kinds: ['email'], terms: ['x'] } }).catch((error: unknown) => error);
    expect(String((failure as Error).message)).toMatch(/at least 2 characters/);
  });
});
