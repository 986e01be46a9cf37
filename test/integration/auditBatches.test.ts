// Audit rows written with the batches of attempts they go with (one transaction): through two
// real cores on one data folder, the trail verifies and its rows are exactly the requests that
// left; a real child process killed right after a call, or right after a batch (before the head
// file caught up), leaves a trail that verifies and rows that still match the attempts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { SecretStore } from '../../src-main/secrets/SecretStore.ts';
import { AuditRepository } from '../../src-main/store/AuditRepository.ts';
import { openDatabase } from '../../src-main/store/openDatabase.ts';
import { runBin } from '../support/cliProcess.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { startCallingProcess } from '../support/startCallingProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';
import { closeAfterEach } from '../support/closeAfterEach.ts';

afterAll(() => removeTempDirs());

const noSecrets: SecretStore = { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false };
const env = { CLOUD_KEY: 'sk-test-audit-batches' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('audit rows written with the attempts batch', () => {
  const { servers, cores, children, connections } = closeAfterEach();

  async function setUp() {
    const cloud = await startFakeOpenAiServer({ defaultStep: { reply: 'sure', delayMs: 5 } });
    servers.push(cloud);
    const dataDir = createTempDir('sc-int-audit-batches-');
    const core = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    const call = coreCaller(core);
    await call('settings.set', { privacyMode: 'cloud-allowed' });
    await call('providers.add', { config: { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: cloud.url, models: ['gpt-fake'], limits: {}, enabled: true, apiKeyEnv: 'CLOUD_KEY' } });
    const db = openDatabase(join(dataDir, 'service-creator.db'));
    connections.push(db);
    const headFile = join(dataDir, 'audit-head.json');
    /** What `audit verify` in another process reads: the rows and the head file. */
    const verify = () => new AuditRepository(db, headFile).verify();
    const head = (): number => {
      try {
        return (JSON.parse(readFileSync(headFile, 'utf8')) as { seq: number }).seq;
      } catch {
        return 0;
      }
    };
    /** The requests the trail has, and the attempts that reached the cloud: they must be the same. */
    const audited = () => (db.prepare('SELECT request_id || \'#\' || attempt_no AS k FROM audit_log ORDER BY k').pluck().all() as string[]);
    const attempted = () => (db.prepare("SELECT request_id || '#' || attempt_no AS k FROM attempts WHERE provider_id = 'cloud' AND outcome <> 'skipped' ORDER BY k").pluck().all() as string[]);
    return { cloud, dataDir, core, verify, head, audited, attempted };
  }

  const ask = (core: Core, content: string) => core.gateway.chat({ task: 'code', messages: [{ role: 'user', content }] });

  it('two processes calling at once: one row per request sent, the chain intact, audit verify ok', async () => {
    const { cloud, dataDir, core, verify, audited, attempted } = await setUp();
    cores.push(core);
    const other = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    cores.push(other);
    await Promise.all(Array.from({ length: 40 }, (_, n) => ask(n % 2 === 0 ? core : other, `question ${n}`)));
    // While both still run, after their batches: what is written verifies and matches.
    await sleep(250);
    expect(verify()).toEqual({ ok: true, rows: 40 });
    expect(audited()).toEqual(attempted());
    expect(audited()).toHaveLength(cloud.count('/v1/chat/completions'));
    for (const each of cores.splice(0)) await each.dispose();
    const verified = await runBin(['audit', 'verify'], { SERVICE_CREATOR_HOME: dataDir });
    expect(verified.stdout).toContain('The audit trail is intact: 40 rows');
    expect(verified.code).toBe(0);
  }, 30_000);

  it('a process killed right after a call loses at most its last 100 ms: older rows are there, rows and attempts match, the trail verifies', async () => {
    const { dataDir, core, verify, head, audited, attempted } = await setUp();
    await core.dispose();
    const child = startCallingProcess(dataDir, env);
    children.push(child);
    await child.waitFor('ready');
    for (const id of [1, 2]) {
      child.send({ op: 'chat', id, prompt: `call ${id}` });
      await child.waitFor(`answered:${id}`);
      await sleep(300);
    }
    child.killOn('answered:3');
    child.send({ op: 'chat', id: 3, prompt: 'call 3' });
    expect(await child.exited).toMatchObject({ signal: 'SIGKILL' });
    const rows = audited();
    // Calls 1 and 2 were written 300 ms before the kill; call 3's row and attempt stand or fall together.
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows).toEqual(attempted());
    expect(head()).toBeLessThanOrEqual(rows.length);
    expect(verify()).toEqual({ ok: true, rows: rows.length });
  }, 30_000);

  it('killed after a batch but before its head file was written: the head behind the rows is accepted, and the next process carries the chain on', async () => {
    const { dataDir, core, verify, head, audited, attempted } = await setUp();
    await core.dispose();
    const child = startCallingProcess(dataDir, env);
    children.push(child);
    await child.waitFor('ready');
    child.send({ op: 'chat', id: 1, prompt: 'call 1' });
    await child.waitFor('answered:1');
    // The head file is written within a second of the last row.
    await sleep(1_300);
    child.send({ op: 'chat', id: 2, prompt: 'call 2' });
    await child.waitFor('answered:2');
    child.killOn('flushed');
    // Killed before its head file could be written (within a second of the batch): it runs no timer meanwhile.
    child.send({ op: 'flush', holdMs: 5_000 });
    await child.exited;
    expect(audited()).toEqual(attempted());
    expect(audited()).toHaveLength(2);
    // The head file still names row 1.
    expect(head()).toBe(1);
    expect(verify()).toEqual({ ok: true, rows: 2 });

    const next = createCore({ dataDir, host: 'cli', secrets: noSecrets, env });
    cores.push(next);
    await ask(next, 'call 3');
    await next.dispose();
    cores.splice(0);
    expect(head()).toBe(3);
    expect(verify()).toEqual({ ok: true, rows: 3 });
    expect(audited()).toEqual(attempted());
  }, 30_000);
});
