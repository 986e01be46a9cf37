import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import type { PrivacyMode } from '../../../src-shared/domain/settings.ts';
import { chatStructured } from '../../../src-main/gateway/chatStructured.ts';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { ModelGateway } from '../../../src-main/gateway/ModelGateway.ts';
import { providerDescriptors } from '../../../src-main/providers/descriptors/providerDescriptors.ts';
import { ProviderRegistry } from '../../../src-main/providers/descriptors/ProviderRegistry.ts';
import type { SecretStore } from '../../../src-main/secrets/SecretStore.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';
import { startFakeAnthropicServer } from '../../support/fakes/fakeAnthropicServer.ts';
import { startFakeOllamaServer } from '../../support/fakes/fakeOllamaServer.ts';
import { startFakeOpenAiServer, type FakeServer, type FakeStep } from '../../support/fakes/fakeOpenAiServer.ts';
import type { AttemptRecord, RouterEvent } from '../../../src-main/modelCall/modelCallTypes.ts';
import { type RouterOptions } from '../../../src-main/router/routerTypes.ts';

/**
 * The router's fault matrix, through the model gateway (as services call it) and the real SDKs (openai, @anthropic-ai/sdk, ollama) against
 * loopback servers speaking each provider's wire format. Every case asserts how many requests
 * each server received: that is what retries, fallbacks and privacy cost in the real world.
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

type Kind = 'openai' | 'anthropic' | 'ollama';

async function fake(kind: Kind, script: FakeStep[], defaultStep: FakeStep = { reply: 'fallback answer' }) {
  const start = { openai: startFakeOpenAiServer, anthropic: startFakeAnthropicServer, ollama: startFakeOllamaServer }[kind];
  const server = await start({ script, defaultStep });
  servers.push(server);
  return server;
}

function setup(targets: { id: string; kind: Kind; server: FakeServer; location?: 'local' | 'cloud' }[], options: Partial<RouterOptions> & { mode?: PrivacyMode } = {}) {
  const configs: ProviderConfig[] = targets.map(({ id, kind, server, location }) => ({
    id,
    type: kind,
    label: id,
    location: location ?? (kind === 'ollama' ? 'local' : 'cloud'),
    baseUrl: server.url,
    models: ['m'],
    limits: {},
    enabled: true,
  }));
  // Through the gateway, as every service calls: real descriptors create the real adapters
  // (keys from the keychain store), attempts are recorded in a real SQLite file.
  const keys = new Map(configs.map((config) => [config.id, `key-${config.id}`]));
  const secrets: SecretStore = {
    backend: 'memory',
    get: async (account) => keys.get(account),
    set: async (account, secret) => void keys.set(account, secret),
    delete: async (account) => keys.delete(account),
    has: async (account) => keys.has(account),
  };
  const db = openDatabase(join(tempDir(), 'fault-matrix.db'));
  databases.push(db);
  const attempts: AttemptRecord[] = [];
  const gateway = new ModelGateway({
    db,
    providers: () => configs,
    routing: () => ({}),
    privacyMode: () => options.mode ?? 'cloud-allowed',
    registry: new ProviderRegistry(providerDescriptors),
    secrets,
    env: {},
    modelDirs: [],
    pricing: { asOf: 'test', prices: new Map() },
    onAttempt: (record) => attempts.push(record),
    routerOptions: { baseDelayMs: 20, maxDelayMs: 200, random: () => 1, ...options },
  });
  gateways.push(gateway);
  return { gateway, attempts };
}

const ask = { task: 'code' as const, messages: [{ role: 'user' as const, content: 'write the handler' }] };

describe('router fault matrix (real SDKs, loopback servers)', () => {
  it.each<Kind>(['openai', 'anthropic', 'ollama'])('%s: 429 with Retry-After, then success: 2 requests, waited at least Retry-After', async (kind) => {
    const server = await fake(kind, [{ status: 429, headers: { 'retry-after': '1' } }, { reply: 'done' }]);
    const { gateway } = setup([{ id: 'a', kind, server }]);
    const started = performance.now();
    const result = await gateway.chat(ask);
    expect(result.text).toBe('done');
    expect(server.count()).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it.each<Kind>(['openai', 'anthropic', 'ollama'])('%s: 500 twice, then success: 3 requests', async (kind) => {
    const server = await fake(kind, [{ status: 500 }, { status: 500 }, { reply: 'third time' }]);
    const { gateway, attempts } = setup([{ id: 'a', kind, server }]);
    expect((await gateway.chat(ask)).text).toBe('third time');
    expect(server.count()).toBe(3);
    expect(attempts.map((a) => a.outcome)).toEqual(['error', 'error', 'ok']);
    expect(attempts[0]).toMatchObject({ errorKind: 'server', status: 500 });
  });

  it.each([
    ['never answers (no headers)', false],
    ['sends 200 headers, then nothing', true],
  ])('timeout: a server that %s gets exactly one request; the next target answers right after the first-token timeout', async (_label, afterHeaders) => {
    const hanging = await fake('openai', [{ hang: true, afterHeaders }, { hang: true, afterHeaders }]);
    const backup = await fake('anthropic', []);
    const { gateway, attempts } = setup(
      [
        { id: 'slow', kind: 'openai', server: hanging },
        { id: 'backup', kind: 'anthropic', server: backup },
      ],
      // The default retry budget: a hung target is still not retried.
      { firstTokenTimeoutMs: 300 },
    );
    const started = performance.now();
    const result = await gateway.chat(ask);
    const elapsed = performance.now() - started;
    expect(result.target.providerId).toBe('backup');
    expect(hanging.count()).toBe(1);
    expect(backup.count()).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
    expect(attempts.map((a) => [a.providerId, a.outcome, a.errorKind])).toEqual([
      ['slow', 'error', 'timeout'],
      ['backup', 'ok', undefined],
    ]);
    await hanging.settled(0);
    expect(hanging.requests.map((r) => r.outcome)).toEqual(['client-closed']);
  });

  it.each<Kind>(['openai', 'anthropic', 'ollama'])('%s: a 429 storm with Retry-After: 0 is ridden out on the rate-limit budget (6 x 429, then the answer)', async (kind) => {
    const storm = Array.from({ length: 6 }, () => ({ status: 429, headers: { 'retry-after': '0' } }));
    const server = await fake(kind, [...storm, { reply: 'through the storm' }]);
    const { gateway, attempts } = setup([{ id: 'a', kind, server }], { maxRetries: 2 });
    expect((await gateway.chat(ask)).text).toBe('through the storm');
    expect(server.count()).toBe(7);
    expect(attempts.slice(0, 6).every((a) => a.errorKind === 'rate-limited' && a.status === 429)).toBe(true);
  });

  it('connection reset before the first token: retried on the same target, no restart event', async () => {
    const server = await fake('openai', [{ resetBeforeFirstToken: true }, { reply: 'second try' }]);
    const { gateway } = setup([{ id: 'a', kind: 'openai', server }]);
    const events: RouterEvent[] = [];
    const result = await gateway.chat({ ...ask, onEvent: (event) => events.push(event) });
    expect(result.text).toBe('second try');
    expect(server.count()).toBe(2);
    expect(events.some((e) => e.type === 'restart')).toBe(false);
  });

  it('connection reset after the first token: the caller is told the answer restarts', async () => {
    const server = await fake('openai', [{ resetAfterTokens: 2, reply: 'partial answer that breaks' }, { reply: 'complete answer' }]);
    const { gateway } = setup([{ id: 'a', kind: 'openai', server }]);
    const events: RouterEvent[] = [];
    const result = await gateway.chat({ ...ask, onEvent: (event) => events.push(event) });
    expect(result.text).toBe('complete answer');
    expect(server.count()).toBe(2);
    const restart = events.findIndex((e) => e.type === 'restart');
    expect(restart).toBeGreaterThan(0);
    const afterRestart = events.slice(restart + 1).filter((e): e is Extract<RouterEvent, { type: 'text' }> => e.type === 'text');
    expect(afterRestart.map((e) => e.text).join('')).toBe('complete answer');
  });

  it('malformed stream: treated as a server fault and retried', async () => {
    const server = await fake('openai', [{ malformed: true }, { reply: 'clean' }]);
    const { gateway, attempts } = setup([{ id: 'a', kind: 'openai', server }]);
    expect((await gateway.chat(ask)).text).toBe('clean');
    expect(server.count()).toBe(2);
    expect(attempts[0]?.errorKind).toBe('server');
  });

  it('schema-violating output: one repair request with the validation error, then a valid value', async () => {
    const server = await fake('openai', [{ reply: { json: { name: 'edge', kind: 'switch' } } }, { reply: { json: { name: 'edge', kind: 'firewall' } } }]);
    const { gateway } = setup([{ id: 'a', kind: 'openai', server }]);
    const schema = z.object({ name: z.string().max(40), kind: z.enum(['firewall', 'router']) });
    const result = await chatStructured((request) => gateway.chat(request), { ...ask, task: 'plan', schema, schemaName: 'service' });
    expect(result).toMatchObject({ value: { name: 'edge', kind: 'firewall' }, repaired: true });
    expect(server.count()).toBe(2);
    const repairPrompt = JSON.stringify(server.requests[1]?.json);
    expect(repairPrompt).toContain('kind: Invalid option');
    expect(JSON.stringify(server.requests[0]?.json)).toContain('json_schema');
  });

  it('schema-violating output twice: a typed error after exactly 2 requests', async () => {
    const server = await fake('openai', [], { reply: 'I cannot produce JSON, sorry.' });
    const { gateway } = setup([{ id: 'a', kind: 'openai', server }]);
    const schema = z.object({ ok: z.boolean() });
    await expect(chatStructured((request) => gateway.chat(request), { ...ask, schema, schemaName: 'check' })).rejects.toMatchObject({ code: 'INVALID_OUTPUT' });
    expect(server.count()).toBe(2);
  });

  it('401: no retry, the key is marked rejected, the next target answers, and the rejected one gets nothing more', async () => {
    const rejecting = await fake('anthropic', [{ status: 401 }]);
    const backup = await fake('openai', []);
    const { gateway } = setup([
      { id: 'claude', kind: 'anthropic', server: rejecting },
      { id: 'gpt', kind: 'openai', server: backup },
    ]);
    expect((await gateway.chat(ask)).target.providerId).toBe('gpt');
    expect(rejecting.count()).toBe(1);
    expect(gateway.isKeyRejected('claude')).toBe(true);
    await gateway.chat(ask);
    expect(rejecting.count()).toBe(1);
    expect(backup.count()).toBe(2);
    expect(rejecting.requests[0]?.apiKey).toBe('key-claude');
  });

  it('breaker: opens after N failures, sends nothing while open, half-opens after the cool-down, closes on success', async () => {
    const flaky = await fake('openai', [{ status: 500 }, { status: 500 }, { status: 500 }], { reply: 'recovered' });
    const backup = await fake('openai', []);
    const { gateway } = setup(
      [
        { id: 'flaky', kind: 'openai', server: flaky },
        { id: 'backup', kind: 'openai', server: backup },
      ],
      { maxRetries: 0, breakerThreshold: 3, breakerHalfOpenAfterMs: 300 },
    );
    for (let i = 0; i < 3; i++) expect((await gateway.chat(ask)).target.providerId).toBe('backup');
    expect(gateway.breakerStates().find((s) => s.providerId === 'flaky')?.state).toBe('open');
    await gateway.chat(ask);
    expect(flaky.count()).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const result = await gateway.chat(ask);
    expect(result).toMatchObject({ text: 'recovered', target: { providerId: 'flaky' } });
    expect(flaky.count()).toBe(4);
    expect(gateway.breakerStates().find((s) => s.providerId === 'flaky')?.state).toBe('closed');
  });

  it('local-only: 0 requests to any cloud server, even when the local one fails', async () => {
    const local = await fake('ollama', [], { status: 500 });
    const openai = await fake('openai', []);
    const anthropic = await fake('anthropic', []);
    const { gateway, attempts } = setup(
      [
        { id: 'ollama', kind: 'ollama', server: local },
        { id: 'gpt', kind: 'openai', server: openai },
        { id: 'claude', kind: 'anthropic', server: anthropic },
      ],
      { mode: 'local-only', maxRetries: 2 },
    );
    await expect(gateway.chat(ask)).rejects.toMatchObject({ code: 'NO_ROUTE' });
    expect(local.count()).toBe(3);
    expect(openai.count()).toBe(0);
    expect(anthropic.count()).toBe(0);
    expect(openai.requests).toHaveLength(0);
    expect(attempts.filter((a) => a.outcome === 'skipped').map((a) => a.providerId)).toEqual(['gpt', 'claude']);
  });

  it('cancel mid-stream: the server sees the connection closed and no fallback is tried', async () => {
    const slow = await fake('openai', [{ reply: 'a long answer streamed slowly', chunks: 20, chunkDelayMs: 100 }]);
    const backup = await fake('openai', []);
    const { gateway } = setup([
      { id: 'slow', kind: 'openai', server: slow },
      { id: 'backup', kind: 'openai', server: backup },
    ]);
    const controller = new AbortController();
    const running = gateway.chat({ ...ask, signal: controller.signal, onEvent: (event) => event.type === 'text' && controller.abort() });
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' });
    await slow.settled(0);
    expect(slow.requests[0]?.outcome).toBe('client-closed');
    expect(backup.count()).toBe(0);
  });
});
