/**
 * A planted API key, stored through the app's own channel into the real OS keychain and used for
 * real calls, must appear nowhere else: not in the database (or its WAL), not in any channel's
 * result, not in any event, not in anything printed. Runs under scripts/withKeychain.sh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames } from '../../src-shared/contract.ts';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import { createKeychainSecretStore } from '../../src-main/secrets/createKeychainSecretStore.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { assertNotInFiles, plantedSecret } from '../support/plantedSecret.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

let core: Core;
let fake: FakeServer;
let dataDir: string;
const seen: string[] = [];
const printed: string[] = [];
const restore: (() => void)[] = [];

beforeAll(async () => {
  if (process.env.SERVICE_CREATOR_KEYCHAIN_TEST !== '1') {
    throw new Error('Run under a throwaway Secret Service: bash scripts/withKeychain.sh npx vitest run --project keychain');
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = write));
  }
  fake = await startFakeOpenAiServer({ defaultStep: { reply: 'generated code' } });
  dataDir = createTempDir('sc-planted-');
  core = createCore({ dataDir, host: 'bridge', secrets: createKeychainSecretStore({ service: 'service-creator-planted-test' }), env: {} });
  core.bus.subscribe((event, payload) => seen.push(JSON.stringify([event, payload])));
});

afterAll(async () => {
  await core?.dispatch('providers.remove', { id: 'gpt' });
  await core?.dispose();
  await fake?.close();
  for (const undo of restore) undo();
  removeTempDirs();
});

describe('a planted key stays in the keychain', () => {
  it('is sent to the provider and nowhere else', async () => {
    const call = async (channel: string, input?: unknown) => {
      const result = await core.dispatch(channel, input);
      seen.push(JSON.stringify(result));
      return result;
    };
    // Every control on: the cache keeps the answer, a budget reserves and settles, the audit trail records the request.
    await call('settings.set', { privacyMode: 'cloud-allowed', responseCache: { enabled: true, ttlHours: 24, maxMegabytes: 16 } });
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'day', limitUsd: 100 });
    expect(
      await call('providers.add', {
        config: { id: 'gpt', type: 'openai', label: 'GPT', location: 'cloud', baseUrl: fake.url, models: ['gpt-4o'] },
        apiKey: plantedSecret,
      }),
    ).toMatchObject({ ok: true, value: { keyConfigured: true, keySource: 'keychain', state: 'healthy' } });
    const answer = await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'write it' }] });
    seen.push(JSON.stringify(answer));
    expect(answer.text).toBe('generated code');
    // The key did reach the provider, as the Authorization header.
    expect(fake.requests.some((request) => request.apiKey === plantedSecret)).toBe(true);

    // A second identical call is a cache hit (before 'cache.clear' runs below): one request left, one audit row.
    seen.push(JSON.stringify(await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content: 'write it' }] })));
    expect(core.gateway.audit.list()).toHaveLength(1);

    // Every channel that takes no input, plus the ones that describe providers.
    for (const channel of channelNames) await call(channel, undefined);
    await call('providers.test', { id: 'gpt' });
    await call('usage.attempts', { limit: 100 });
    await call('usage.summary', { since: '2020-01-01', by: 'provider' });
    await call('audit.list', { limit: 100 });
    seen.push(JSON.stringify([...core.gateway.audit.all()]));
    await call('providers.setKey', { id: 'gpt', apiKey: plantedSecret });

    core.db.pragma('wal_checkpoint(PASSIVE)');
    expect(seen.join('\n')).not.toContain(plantedSecret);
    expect(printed.join('')).not.toContain(plantedSecret);
    assertNotInFiles(dataDir, plantedSecret);
  });
});
