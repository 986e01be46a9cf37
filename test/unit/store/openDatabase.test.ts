import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applicationId, openDatabase } from '../../../src-main/store/openDatabase.ts';
import { latestSchemaVersion } from '../../../src-main/store/migrations/index.ts';
import type { Migration } from '../../../src-main/store/Migration.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('openDatabase', () => {
  const tempDir = useTempDirs();

  it('creates a new store with WAL, foreign keys, our application id and the latest schema', () => {
    const path = join(tempDir(), 'nested', 'db.sqlite');
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(db.pragma('application_id', { simple: true })).toBe(applicationId);
    db.close();
  });

  it('reopens an existing store without re-running migrations and keeps its rows', () => {
    const path = join(tempDir(), 'db.sqlite');
    const first = openDatabase(path);
    first.prepare("INSERT INTO settings VALUES ('theme', '\"dark\"')").run();
    first.close();
    const second = openDatabase(path);
    expect(second.prepare("SELECT value FROM settings WHERE key = 'theme'").pluck().get()).toBe('"dark"');
    second.close();
  });

  it('applies only pending migrations, each in its own transaction', () => {
    const path = join(tempDir(), 'db.sqlite');
    const applied: number[] = [];
    const step = (version: number, sql: string): Migration => ({
      version,
      name: `step${version}`,
      up(db) {
        applied.push(version);
        db.exec(sql);
      },
    });
    openDatabase(path, { migrations: [step(1, 'CREATE TABLE a (x)')] }).close();
    const broken = step(3, 'CREATE TABLE c (x); SELECT * FROM no_such_table');
    expect(() => openDatabase(path, { migrations: [step(1, 'CREATE TABLE a (x)'), step(2, 'CREATE TABLE b (x)'), broken] })).toThrow(/no_such_table/);
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined();
    db.close();
    expect(applied).toEqual([1, 2, 3]);
  });

  it('refuses a database from a newer version and leaves the file untouched', () => {
    const path = join(tempDir(), 'db.sqlite');
    openDatabase(path).close();
    const raw = new Database(path);
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${latestSchemaVersion + 5}`);
    raw.close();
    const before = sha256(path);
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'DB_FROM_FUTURE', message: expect.stringContaining(`schema ${latestSchemaVersion + 5}`) }));
    expect(sha256(path)).toBe(before);
  });

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const path = join(tempDir(), 'db.sqlite');
    writeFileSync(path, 'this is not a database, but a user file that must survive\n'.repeat(100));
    const before = sha256(path);
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'DB_CORRUPT', message: expect.stringContaining('not an SQLite database') }));
    expect(sha256(path)).toBe(before);
  });

  it('refuses a damaged SQLite file (valid header, garbage pages)', () => {
    const path = join(tempDir(), 'db.sqlite');
    const header = Buffer.from('SQLite format 3\0', 'latin1');
    writeFileSync(path, Buffer.concat([header, Buffer.alloc(8192, 0xab)]));
    const before = sha256(path);
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'DB_CORRUPT' }));
    expect(sha256(path)).toBe(before);
  });

  it("refuses another application's SQLite file", () => {
    const path = join(tempDir(), 'db.sqlite');
    const other = new Database(path);
    other.pragma('application_id = 1234');
    other.exec('CREATE TABLE theirs (x)');
    other.close();
    const before = sha256(path);
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'DB_CORRUPT', message: expect.stringContaining('another application') }));
    expect(sha256(path)).toBe(before);
  });

  it('reports a data folder that cannot be created', () => {
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'x');
    expect(() => openDatabase(join(blocker, 'sub', 'db.sqlite'))).toThrow(
      expect.objectContaining({ code: 'DATA_DIR_UNWRITABLE', message: expect.stringContaining(join(blocker, 'sub')) }),
    );
  });
});
