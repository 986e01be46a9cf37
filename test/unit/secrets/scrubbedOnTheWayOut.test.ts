// The places provider text passes on its way to the disk or the user each scrub it themselves:
// the ProviderError a provider's answer becomes, the attempts table, the dispatcher's envelopes.
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/AppError.ts';
import { createDispatch } from '../../../src-main/core/createDispatch.ts';
import type { Handlers } from '../../../src-main/core/Handlers.ts';
import { healthFromError } from '../../../src-main/providers/classifyHttpError.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { resolveApiKey } from '../../../src-main/secrets/resolveApiKey.ts';
import { knownSecrets } from '../../../src-main/secrets/knownSecrets.ts';
import type { SecretStore } from '../../../src-main/secrets/SecretStore.ts';
import { AttemptRepository } from '../../../src-main/store/AttemptRepository.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const key = `gw${randomBytes(20).toString('hex')}`;

afterEach(() => knownSecrets.clear());

const storeWith = (secret: string): SecretStore => ({
  backend: 'memory',
  get: async () => secret,
  set: async () => undefined,
  delete: async () => true,
  has: async () => true,
});

describe('provider text is scrubbed where it enters and where it leaves', () => {
  const tempDir = useTempDirs();

  it('a resolved key is known to the scrubber, and a ProviderError quoting it carries no copy of it', async () => {
    expect(await resolveApiKey({ providerId: 'gw', defaultEnv: 'OPENAI_API_KEY' }, storeWith(key), {})).toMatchObject({ key });
    const error = new ProviderError('gw', 'auth', `401 Incorrect API key provided: ${key}; Authorization: Bearer ${key}`, { status: 401 });
    expect(error.message).toBe('gw: 401 Incorrect API key provided: [redacted]; Authorization: Bearer [redacted]');
    expect(healthFromError(error).detail).not.toContain(key.slice(0, 16));
  });

  it('the attempts table never stores a key, whatever the caller passes', () => {
    knownSecrets.add(key);
    const dir = tempDir();
    const db = openDatabase(join(dir, 'attempts.db'));
    const attempts = new AttemptRepository(db);
    attempts.insert({
      requestId: 'r1',
      attemptNo: 1,
      startedAt: new Date().toISOString(),
      task: 'code',
      providerId: 'gw',
      model: 'm1',
      outcome: 'error',
      reason: `first choice (key ${key})`,
      message: `Incorrect API key provided: ${key.slice(0, 24)}…; other key sk-ant-api03-AbCdEf0123456789xyz`,
    });
    const [stored] = attempts.recent(1);
    expect(stored?.message).toBe('Incorrect API key provided: [redacted]…; other key [redacted]');
    expect(stored?.reason).toBe('first choice (key [redacted])');
    db.close();
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).includes(key.slice(0, 16))).toBe(false);
  });

  it('the dispatcher scrubs error messages of key-shaped text and results of the keys in use', async () => {
    knownSecrets.add(key);
    const handlers = {
      'app.info': () => {
        throw new AppError('PROVIDER_FAILED', 'gw: 401 invalid x-api-key sk-ant-api03-AbCdEf0123456789xyz');
      },
      'projects.list': () => {
        throw new Error(`socket hang up while sending Bearer ${key}`);
      },
      'usage.attempts': () => [
        { requestId: 'r', attemptNo: 1, startedAt: '2025-01-01T00:00:00.000Z', task: 'code', providerId: 'gw', model: 'm', outcome: 'error', reason: 'x', message: `echo ${key}` },
      ],
    } as unknown as Handlers;
    const dispatch = createDispatch(handlers, { onInternalError: () => undefined });
    expect(await dispatch('app.info', undefined)).toEqual({
      ok: false,
      error: { code: 'PROVIDER_FAILED', message: 'gw: 401 invalid x-api-key [redacted]', retryable: false },
    });
    expect(JSON.stringify(await dispatch('projects.list', undefined))).not.toContain(key.slice(0, 16));
    expect(await dispatch('usage.attempts', { limit: 1 })).toMatchObject({ ok: true, value: [{ message: 'echo [redacted]' }] });
  });
});

describe('events leaving the core', () => {
  it('carry no known key anywhere and no key-shaped text in their error fields', async () => {
    const { EventBus } = await import('../../../src-main/events/EventBus.ts');
    knownSecrets.add(key);
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.subscribe((_event, payload) => seen.push(payload));
    bus.emit('models.downloadProgress', {
      downloadId: 'd',
      uri: 'https://example.com/m.gguf',
      state: 'failed',
      downloadedBytes: 0,
      totalBytes: null,
      message: `HTTP 403 for https://example.com/m.gguf?token=hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345 (key ${key})`,
    });
    bus.emit('interview.event', { projectId: 'p', kind: 'explanation', text: `model text quoting ${key} and sk-example-000000000000000000` });
    expect(seen[0]).toMatchObject({ message: 'HTTP 403 for https://example.com/m.gguf?token=[redacted] (key [redacted])' });
    // Model text keeps credential-shaped examples; only the key in use goes.
    expect(seen[1]).toMatchObject({ text: 'model text quoting [redacted] and sk-example-000000000000000000' });
  });
});
