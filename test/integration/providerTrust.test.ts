// Where a provider's requests may go: a vendor's cloud API is stored as cloud however it was
// marked (so Local-only mode, a project kept local, the privacy guard and the audit see it as one),
// an address holding a user name or password is refused, and a server that redirects gets its
// requests refused instead of followed (a 307 would carry the prompt and key to another host).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { startFakeAnthropicServer } from '../support/fakes/fakeAnthropicServer.ts';
import type { FakeServer } from '../support/fakes/fakeServerBase.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const env = { TRUST_KEY: 'sk-trust-test-key-0000000000' };

describe('where a provider may send', () => {
  const cores: Core[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispose();
    for (const close of closers.splice(0)) await close();
  });

  function core() {
    const made = createCore({ dataDir: createTempDir('sc-int-provider-trust-'), host: 'cli', secrets: noSecrets, env });
    cores.push(made);
    return { core: made, call: coreCaller(made) };
  }

  const config = (id: string, extra: Partial<ProviderConfig>): ProviderConfig => ({ id, type: 'openai', label: id, location: 'local', models: ['m'], limits: {}, enabled: true, apiKeyEnv: 'TRUST_KEY', ...extra });

  it('stores a vendor cloud API as cloud whatever it was marked; a server of its own on the LAN may be marked local', async () => {
    const { call } = core();
    await call('providers.add', { config: config('claude', { type: 'anthropic', location: 'local' }) });
    await call('providers.add', { config: config('openai-default', { location: 'local' }) });
    await call('providers.add', { config: config('openai-host', { location: 'local', baseUrl: 'https://API.openai.com/v1' }) });
    await call('providers.add', { config: config('lan', { location: 'local', baseUrl: 'http://10.0.0.5:8000/v1' }) });
    // Changing it later is held to the same rule.
    await call('providers.update', { config: config('openai-default', { location: 'local', label: 'renamed' }) });
    const { providers } = await call<{ providers: { config: ProviderConfig }[] }>('providers.list');
    const where = Object.fromEntries(providers.map(({ config: each }) => [each.id, each.location]));
    expect(where).toEqual({ claude: 'cloud', 'openai-default': 'cloud', 'openai-host': 'cloud', lan: 'local' });
  });

  it('refuses an address that holds a user name or password, without repeating it', async () => {
    const { call } = core();
    const refused = await call('providers.add', { config: config('creds', { location: 'cloud', baseUrl: 'https://me:sk-in-the-url-123456789@gateway.example.com/v1' }) }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('cannot hold a user name or password') });
    expect(String((refused as Error).message)).not.toContain('sk-in-the-url');
    const { providers } = await call<{ providers: unknown[] }>('providers.list');
    expect(providers).toHaveLength(0);
  });

  it('refuses an address whose query holds a key (?api_key=, ?token=, ?sig=), on add and on change, without repeating it; an api-version is kept', async () => {
    const { call } = core();
    for (const query of ['api_key=sk-in-the-query-123456789', 'key=in-the-query-123456789', 'access_token=in-the-query-123456789', 'api-version=1&sig=in-the-query-123456789', 'X-Api-Key=in-the-query-123456789']) {
      const refused = await call('providers.add', { config: config('query', { location: 'cloud', baseUrl: `https://gateway.example.com/v1?${query}` }) }).catch((error: unknown) => error);
      expect(refused, query).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('cannot hold a key') });
      expect(String((refused as Error).message)).not.toContain('in-the-query');
    }
    expect((await call<{ providers: unknown[] }>('providers.list')).providers).toHaveLength(0);
    // Azure OpenAI's address carries its API version in the query: that is no key.
    await call('providers.add', { config: config('azure', { location: 'cloud', baseUrl: 'https://me.openai.azure.com/openai/deployments/gpt?api-version=2024-10-21' }) });
    const changed = await call('providers.update', { config: config('azure', { location: 'cloud', baseUrl: 'https://me.openai.azure.com/openai/deployments/gpt?api-version=2024-10-21&api-key=in-the-query-123456789' }) }).catch((error: unknown) => error);
    expect(changed).toMatchObject({ code: 'INVALID_INPUT' });
    const { providers } = await call<{ providers: { config: ProviderConfig }[] }>('providers.list');
    expect(providers.map(({ config: each }) => each.baseUrl)).toEqual(['https://me.openai.azure.com/openai/deployments/gpt?api-version=2024-10-21']);
  });

  for (const type of ['openai', 'anthropic'] as const) {
    it(`${type}: a server answering with a redirect to another host gets its call refused, and nothing reaches that host`, async () => {
      const elsewhere: FakeServer = type === 'openai' ? await startFakeOpenAiServer({ defaultStep: { reply: 'from elsewhere' } }) : await startFakeAnthropicServer({ defaultStep: { reply: 'from elsewhere' } });
      closers.push(() => elsewhere.close());
      // Another host in the redirect: the same server by another loopback name.
      const target = new URL(elsewhere.url);
      target.hostname = 'localhost';
      const redirecting: Server = createServer((req, res) => {
        res.writeHead(307, { location: `${target.href.replace(/\/$/, '')}${(req.url ?? '/').replace(/^\/v1/, '')}?token=secret-in-query` });
        res.end();
      });
      await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
      closers.push(() => new Promise<void>((resolve) => redirecting.close(() => resolve())));
      const { core: made, call } = core();
      const port = (redirecting.address() as AddressInfo).port;
      await call('providers.add', { config: config('lan', { type, location: type === 'openai' ? 'local' : 'cloud', baseUrl: type === 'openai' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}` }) });
      await call('settings.set', { privacyMode: 'cloud-allowed' });
      const refused = await made.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'the prompt' }] }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'NO_ROUTE' });
      const attempt = made.gateway.attempts.recent(10, 'calls')[0];
      expect(attempt?.message).toMatch(/307 Temporary Redirect: the server sends its requests on to "http:\/\/localhost:\d+\/[^"?]*", and nothing is sent there/);
      expect(attempt?.message).not.toContain('secret-in-query');
      expect(elsewhere.requests).toHaveLength(0);
    });
  }
});
