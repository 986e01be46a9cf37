// Another process holding the data folder's write lock past SQLite's busy timeout (5 s: a long
// `cache clear`, a backup, a CLI suspended with Ctrl+Z mid-write, a user's sqlite3 shell) while a
// running core (serve, the app) writes its batch of attempts in the background. The batch cannot
// commit; the process must go on and write it once the lock is free, losing nothing: the attempt
// row, its cost in the budget's running total, its audit row, its rate-limit settlement.
// Before, the failed batch threw out of its timer (the process died: "SqliteError: database is
// locked") and the attempts, costs and audit rows taken for it were gone.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { closeAfterEach } from '../support/closeAfterEach.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { startCallingProcess } from '../support/startCallingProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const env = { CLOUD_KEY: 'sk-test-held-lock-0000' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a data folder whose write lock another process holds past the busy timeout', () => {
  const { servers, cores, children, connections } = closeAfterEach();

  /** A cloud target that answers 1.5 s after the request (so a lock can be taken while the call is under way), priced, limited and budgeted. */
  async function setUp() {
    // Answers 1.5 s after the request: the lock is taken while the call is under way.
    const cloud = await startFakeOpenAiServer({ defaultStep: { reply: 'answer', delayMs: 1_500, usage: { inputTokens: 5, outputTokens: 10 } } });
    servers.push(cloud);
    const dataDir = createTempDir('sc-int-held-lock-');
    const setup = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    cores.push(setup);
    const call = coreCaller(setup);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', {
      config: { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: cloud.url, models: ['gpt-fake'], limits: { requestsPerMinute: 600, tokensPerMinute: 100_000 }, enabled: true, apiKeyEnv: 'CLOUD_KEY' },
    });
    // $0.01 per answer token: the call costs $0.10.
    await call('pricing.set', { model: 'gpt-fake', inputPerMillion: 0, outputPerMillion: 10_000 });
    await call('budgets.set', { scope: 'overall', scopeId: '', period: 'month', limitUsd: 100 });
    return { cloud, dataDir, setup };

  }

  it('a running core keeps going and writes its attempts, costs, audit and rate rows once the lock is free', async () => {
    const { cloud, dataDir, setup } = await setUp();
    await setup.dispose();
    cores.splice(0);

    const child = startCallingProcess(dataDir, env);
    children.push(child);
    let stderr = '';
    child.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await child.waitFor('ready');
    child.send({ op: 'chat', id: 1, prompt: 'hello', maxTokens: 100 });
    for (let waited = 0; cloud.count('/v1/chat/completions') === 0 && waited < 10_000; waited += 20) await sleep(20);

    const holder = openDatabase(join(dataDir, 'service-creator.db'));
    connections.push(holder);
    holder.exec('BEGIN IMMEDIATE');
    expect(await child.waitFor('answered:1')).toMatchObject({ text: 'answer' });
    // Past the busy timeout: the batch of the call's attempt has failed to commit by now.
    await sleep(6_500);
    expect(child.child.exitCode, stderr).toBeNull();
    holder.exec('COMMIT');

    // The process still answers, and everything of the first call is written with the next batches.
    child.send({ op: 'chat', id: 2, prompt: 'again', maxTokens: 100 });
    expect(await child.waitFor('answered:2')).toMatchObject({ text: 'answer' });
    // Past the second call's second: its rate lease's unused slots go back with this batch.
    await sleep(1_100);
    child.send({ op: 'flush' });
    await child.waitFor('flushed');
    const attempts = holder.prepare("SELECT count(*) FROM attempts WHERE outcome = 'ok'").pluck().get();
    const spent = holder.prepare("SELECT sum(usd) FROM spend_totals WHERE scope = 'overall' AND period = 'month'").pluck().get() as number;
    const audited = holder.prepare('SELECT count(*) FROM audit_log').pluck().get();
    const rate = holder.prepare("SELECT sum(requests) AS requests, sum(tokens) AS tokens FROM rate_usage WHERE provider_id = 'cloud'").get();
    expect(attempts).toBe(2);
    expect(spent).toBeCloseTo(0.2, 9);
    expect(audited).toBe(2);
    expect(rate).toEqual({ requests: 2, tokens: 30 });
  }, 40_000);

  it('a batch that fails part-way (a full disk, stood in for by a trigger) keeps everything for the next one: the attempt, its cost, its audit row, its lease draw-down and its rate settlement', async () => {
    const { cloud, dataDir, setup: core } = await setUp();
    const answer = core.gateway.chat({ task: 'code', maxTokens: 100, messages: [{ role: 'user', content: 'hello' }] });
    for (let waited = 0; cloud.count('/v1/chat/completions') === 0 && waited < 10_000; waited += 20) await sleep(20);
    const other = openDatabase(join(dataDir, 'service-creator.db'));
    connections.push(other);
    const granted = other.prepare("SELECT amount_usd FROM budget_ledger WHERE state = 'reserved'").pluck().get() as number;
    // The rate settlement is written last in a batch, after the attempt, its audit row and the lease's draw-down.
    other.exec("CREATE TRIGGER fail_rate BEFORE UPDATE ON rate_usage BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    other.exec("CREATE TRIGGER fail_rate_insert BEFORE INSERT ON rate_usage BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect((await answer).text).toBe('answer');
    // Past the call's second: its rate lease's unused slots are given back with this batch too.
    await sleep(1_100);
    expect(() => core.gateway.attempts.flush()).toThrow('disk full');
    expect(other.prepare('SELECT count(*) FROM attempts').pluck().get()).toBe(0);
    other.exec('DROP TRIGGER fail_rate; DROP TRIGGER fail_rate_insert');
    core.gateway.attempts.flush();

    expect(other.prepare("SELECT count(*) FROM attempts WHERE outcome = 'ok'").pluck().get()).toBe(1);
    expect(other.prepare("SELECT sum(usd) FROM spend_totals WHERE scope = 'overall' AND period = 'month'").pluck().get()).toBeCloseTo(0.1, 9);
    expect(other.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(1);
    expect(other.prepare("SELECT amount_usd FROM budget_ledger WHERE state = 'reserved'").pluck().get()).toBeCloseTo(granted - 0.1, 9);
    expect(other.prepare("SELECT sum(requests) AS requests, sum(tokens) AS tokens FROM rate_usage WHERE provider_id = 'cloud'").get()).toEqual({ requests: 1, tokens: 15 });
  }, 20_000);
});
