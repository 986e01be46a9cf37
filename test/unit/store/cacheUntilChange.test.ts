import { spawnSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { cacheRowsUntilChange, cacheUntilChange, generationUnchangedSinceLastLook, readAtOnce, readOnlyAtOnce } from '../../../src-main/store/cacheUntilChange.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { ProviderRepository } from '../../../src-main/store/ProviderRepository.ts';
import { RoutingRepository } from '../../../src-main/store/RoutingRepository.ts';
import { SettingsRepository } from '../../../src-main/store/SettingsRepository.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const provider = (id: string): ProviderConfig => ({ id, type: 'openai', label: id, location: 'local', baseUrl: 'http://127.0.0.1:9/v1', models: ['m'], limits: {}, enabled: true });

/** Runs SQL on the database file from another process (as the CLI would write it). */
function writeFromAnotherProcess(path: string, sql: string): void {
  const script = `import Database from 'better-sqlite3'; const db = new Database(${JSON.stringify(path)}); db.exec(${JSON.stringify(sql)}); db.close();`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the other process failed: ${result.stderr}`);
}

describe('repositories cached until the database changes', () => {
  const tempDir = useTempDirs();

  it('parse once while nothing changes', () => {
    const db = openDatabase(join(tempDir(), 'data.db'));
    let loads = 0;
    const read = cacheUntilChange(db, () => ++loads);
    expect([read(), read(), read()]).toEqual([1, 1, 1]);
    db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    expect(read()).toBe(2);
  });

  it("keep the configuration across a model call's own writes (attempts, the cache, budgets' ledger, rate windows, the audit trail)", () => {
    const db = openDatabase(join(tempDir(), 'data.db'));
    let loads = 0;
    const read = cacheUntilChange(db, () => ++loads);
    expect(read()).toBe(1);
    db.exec(`
      INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, reason) VALUES ('r', 1, 't', 'code', 'p', 'm', 'ok', 'why');
      INSERT INTO response_cache (key, provider_id, model, answer, input_tokens, output_tokens, bytes, created_at_ms, expires_at_ms, used_at_ms) VALUES ('k', 'p', 'm', 'a', 1, 1, 1, 0, 1, 0);
      INSERT INTO budget_ledger (at_ms, request_id, provider_id, model, amount_usd, state) VALUES (0, 'r', 'p', 'm', 1, 'reserved');
      INSERT INTO rate_usage (provider_id, second, requests, tokens) VALUES ('p', 1, 1, 1);
      INSERT INTO spend_totals (scope, scope_id, period, period_start_ms, usd) VALUES ('overall', '', 'day', 0, 1);
    `);
    expect(read()).toBe(1);
    const after = ["INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')", "INSERT INTO model_prices (model, input_per_million, output_per_million) VALUES ('m', 1, 2)", "INSERT INTO budgets (scope, scope_id, period, limit_usd, updated_at) VALUES ('overall', '', 'day', 1, 't')", 'UPDATE projects SET name = name'].map((sql) => {
      db.exec(sql);
      return read();
    });
    expect(after).toEqual([2, 3, 4, 4]); // an UPDATE that touched no project row moved nothing
  });

  it('read the rows again after a write to another table but parse only rows that changed', () => {
    const db = openDatabase(join(tempDir(), 'data.db'));
    const rows = db.prepare('SELECT id, config FROM providers ORDER BY position, id').raw();
    let parses = 0;
    const read = cacheRowsUntilChange(db, () => rows.all() as unknown[][], (found) => (parses++, found.length));
    expect(read()).toBe(0);
    db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    expect([read(), parses]).toEqual([0, 1]);
    new ProviderRepository(db).add(provider('a'));
    expect([read(), parses]).toEqual([1, 2]);
  });

  it('see a write on the same connection at once, through another repository instance or plain SQL, in the same synchronous run', () => {
    const db = openDatabase(join(tempDir(), 'data.db'));
    const reader = new ProviderRepository(db);
    const writer = new ProviderRepository(db);
    const routing = new RoutingRepository(db);
    const routingWriter = new RoutingRepository(db);
    const settings = new SettingsRepository(db);
    expect(reader.list().providers).toEqual([]);
    expect(routing.get()).toEqual({});
    expect(settings.get().privacyMode).toBe('local-only');

    writer.add(provider('a'));
    expect(reader.list().providers.map((p) => p.id)).toEqual(['a']);
    writer.update({ ...provider('a'), enabled: false });
    expect(reader.get('a').enabled).toBe(false);
    routingWriter.set({ code: [{ providerId: 'a', model: 'm' }] }, { code: 'least-latency' });
    expect(routing.get()).toEqual({ code: [{ providerId: 'a', model: 'm' }] });
    expect(routing.strategies()).toEqual({ code: 'least-latency' });
    new SettingsRepository(db).set({ privacyMode: 'cloud-allowed' });
    expect(settings.get().privacyMode).toBe('cloud-allowed');

    db.prepare("UPDATE routing SET strategy = 'weighted' WHERE task = 'code'").run();
    expect(routing.strategies()).toEqual({ code: 'weighted' });
    db.prepare("DELETE FROM providers WHERE id = 'a'").run();
    expect(reader.list().providers).toEqual([]);
  });

  it('see a write on the same connection inside a readAtOnce block, and a commit by another connection after it', () => {
    const path = join(tempDir(), 'data.db');
    const db = openDatabase(path);
    const providers = new ProviderRepository(db);
    const other = openDatabase(path);
    const seen = readAtOnce(db, () => {
      const before = providers.list().providers.length;
      providers.add(provider('a'));
      return [before, providers.list().providers.length];
    });
    expect(seen).toEqual([0, 1]);
    new ProviderRepository(other).add(provider('b'));
    expect(readAtOnce(db, () => providers.list().providers.map((p) => p.id))).toEqual(['a', 'b']);
    other.close();
  });

  it('do not keep what a rolled-back transaction showed', () => {
    const db = openDatabase(join(tempDir(), 'data.db'));
    const providers = new ProviderRepository(db);
    expect(() =>
      db.transaction(() => {
        providers.add(provider('a'));
        expect(providers.list().providers.map((p) => p.id)).toEqual(['a']);
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(providers.list().providers).toEqual([]);
  });

  it('see a commit by another connection and by another process on the same file', () => {
    const path = join(tempDir(), 'data.db');
    const db = openDatabase(path);
    const providers = new ProviderRepository(db);
    const routing = new RoutingRepository(db);
    const settings = new SettingsRepository(db);
    providers.add(provider('a'));
    expect(routing.get()).toEqual({});
    expect(settings.get().privacyMode).toBe('local-only');

    const other = openDatabase(path);
    new ProviderRepository(other).add(provider('b'));
    expect(providers.list().providers.map((p) => p.id)).toEqual(['a', 'b']);

    writeFromAnotherProcess(
      path,
      `INSERT INTO routing (task, targets, strategy) VALUES ('code', '[{"providerId":"b","model":"m"}]', 'ordered');
       INSERT INTO settings (key, value) VALUES ('privacyMode', '"local-first"');
       DELETE FROM providers WHERE id = 'a';`,
    );
    expect(routing.get()).toEqual({ code: [{ providerId: 'b', model: 'm' }] });
    expect(settings.get().privacyMode).toBe('local-first');
    expect(providers.list().providers.map((p) => p.id)).toEqual(['b']);
    other.close();
  });

  it('hand out configurations that cannot be changed in place, and arrays and records that can', () => {
    const db = openDatabase(join(tempDir(), 'data.db'));
    const providers = new ProviderRepository(db);
    providers.add(provider('a'));
    const first = providers.list();
    expect(() => {
      (first.providers[0] as ProviderConfig).enabled = false;
    }).toThrow(TypeError);
    first.providers.pop();
    expect(providers.list().providers.map((p) => p.id)).toEqual(['a']);
    const routing = new RoutingRepository(db);
    routing.set({ code: [{ providerId: 'a', model: 'm' }] });
    delete routing.get().code;
    expect(routing.get()).toEqual({ code: [{ providerId: 'a', model: 'm' }] });
  });
});

describe('the WAL index header short cut', () => {
  const tempDir = useTempDirs();

  it('never misses a commit by another connection or process: each one, one after another, after a checkpoint that restarts the WAL, and after an own write', () => {
    const path = join(tempDir(), 'data.db');
    const db = openDatabase(path);
    const other = openDatabase(path);
    const settings = new SettingsRepository(db);
    const otherSettings = new SettingsRepository(other);
    const themes = ['light', 'dark'] as const;
    // Read many times with nothing in between (the short cut answers), then one commit elsewhere at a time.
    for (let round = 0; round < 40; round++) {
      const theme = themes[round % 2] as (typeof themes)[number];
      for (let read = 0; read < 3; read++) readOnlyAtOnce(db, () => settings.get());
      otherSettings.set({ theme });
      expect(readOnlyAtOnce(db, () => settings.get().theme)).toBe(theme);
      if (round % 10 === 9) other.pragma('wal_checkpoint(TRUNCATE)');
      // This connection's own write (attempts) moves the header too; a commit right after it is still seen.
      if (round % 7 === 3) db.prepare("INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, reason) VALUES ('r', ?, '2026-01-01T00:00:00.000Z', 'code', 'p', 'm', 'ok', 'x')").run(round);
    }
    writeFromAnotherProcess(path, "INSERT INTO settings (key, value) VALUES ('theme', '\"system\"') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    expect(readOnlyAtOnce(db, () => settings.get().theme)).toBe('system');
    other.close();
    db.close();
  });

  it("answers a model call's one look with the generation last read until anything commits, through any connection", () => {
    const path = join(tempDir(), 'data.db');
    const db = openDatabase(path);
    const other = openDatabase(path);
    const settings = new SettingsRepository(db);
    expect(generationUnchangedSinceLastLook(db)).toBeUndefined(); // nothing read yet
    // The header is first seen by the first look after a read: that one cannot tell yet.
    readOnlyAtOnce(db, () => settings.get());
    expect(generationUnchangedSinceLastLook(db)).toBeUndefined();
    readOnlyAtOnce(db, () => settings.get());
    const generation = generationUnchangedSinceLastLook(db);
    expect(generation).toEqual(expect.any(Number));
    expect(generationUnchangedSinceLastLook(db)).toBe(generation);
    // A commit that leaves the configuration alone still moves the header: the next look reads again.
    other.prepare("INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, reason) VALUES ('r', 1, '2026-01-01T00:00:00.000Z', 'code', 'p', 'm', 'ok', 'x')").run();
    expect(generationUnchangedSinceLastLook(db)).toBeUndefined();
    readOnlyAtOnce(db, () => settings.get());
    expect(generationUnchangedSinceLastLook(db)).toBe(generation);
    other.close();
    db.close();
  });

  it.runIf(process.platform === 'linux')('a closed connection is never answered from the header, and its -shm file is closed with it', () => {
    const path = join(tempDir(), 'data.db');
    const db = openDatabase(path);
    const settings = new SettingsRepository(db);
    for (let look = 0; look < 2; look++) {
      readOnlyAtOnce(db, () => settings.get());
      generationUnchangedSinceLastLook(db);
    }
    expect(generationUnchangedSinceLastLook(db)).toEqual(expect.any(Number));
    const shmOpen = () => readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${path}-shm`); } catch { return false; } }).length;
    expect(shmOpen()).toBeGreaterThan(0);
    db.close();
    expect(shmOpen()).toBe(0);
    expect(() => generationUnchangedSinceLastLook(db)).toThrow(/not open/);
    expect(() => readOnlyAtOnce(db, () => settings.get())).toThrow(/not open/);
  });

  it('reads the generation every time where there is no WAL (a database in memory)', () => {
    const db = openDatabase(':memory:');
    let loads = 0;
    const read = cacheUntilChange(db, () => ++loads);
    expect([read(), read()]).toEqual([1, 1]);
    db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run();
    expect(read()).toBe(2);
  });
});
