import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateFolder, keepPrivate, privateFileMode } from '../paths/keepPrivate.ts';
import type { Migration } from './Migration.ts';
import { migrations as allMigrations } from './migrations/index.ts';
import { DatabaseCorruptError, DatabaseFromFutureError, DataDirUnwritableError } from './databaseErrors.ts';
import { databaseFailure } from './databaseFailure.ts';
import { fsProblemInWords } from '../paths/fsProblemInWords.ts';

/** Marks our files (`PRAGMA application_id`), so another program's SQLite file is never migrated. */
export const applicationId = 0x53437231;

const sqliteHeader = Buffer.from('SQLite format 3\0', 'latin1');

export interface OpenDatabaseOptions {
  migrations?: readonly Migration[];
}

/**
 * Opens (or creates) the store: checks the file is ours and not from a newer version before
 * anything is written, then turns on WAL and foreign keys and applies pending migrations, each in
 * its own transaction. A refused file is closed untouched. The folder is made private to the user
 * (0700) and the database, its -wal and -shm files private too (0600), whatever the umask and
 * whatever an older version left.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database.Database {
  const migrations = options.migrations ?? allMigrations;
  const latest = migrations.at(-1)?.version ?? 0;
  const inMemory = path === ':memory:';
  if (!inMemory) {
    ensureWritableDir(dirname(path));
    checkHeader(path);
    createPrivately(path);
  }

  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw databaseFailure(error, path) ?? new DataDirUnwritableError(dirname(path), fsProblemInWords(error), error);
  }

  try {
    const foundApplicationId = Number(db.pragma('application_id', { simple: true }));
    const version = Number(db.pragma('user_version', { simple: true }));
    if (foundApplicationId !== 0 && foundApplicationId !== applicationId) {
      throw new DatabaseCorruptError(path, `it belongs to another application (application_id ${foundApplicationId})`);
    }
    if (version > latest) throw new DatabaseFromFutureError(path, version, latest);
    if (version > 0 && foundApplicationId === 0) {
      throw new DatabaseCorruptError(path, `it has schema version ${version} but is not marked as a Service Creator database`);
    }
    if (foundApplicationId === 0 && Number(db.prepare('SELECT count(*) FROM sqlite_master').pluck().get()) > 0) {
      throw new DatabaseCorruptError(path, 'it is an SQLite database of another program');
    }

    if (!inMemory) {
      db.pragma('journal_mode = WAL');
      // SQLite gives -wal and -shm the database's mode; ones an older version left are tightened here.
      for (const suffix of ['-wal', '-shm']) keepPrivate(path + suffix);
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations, version);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseCorruptError || error instanceof DatabaseFromFutureError) throw error;
    // Damaged pages, a read-only or full disk, another process migrating it past the busy timeout: in words.
    throw databaseFailure(error, path) ?? error;
  }
}

function migrate(db: Database.Database, migrations: readonly Migration[], from: number): void {
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`application_id = ${applicationId}`);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

function ensureWritableDir(dir: string): void {
  try {
    ensurePrivateFolder(dir);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new DataDirUnwritableError(dir, fsProblemInWords(error), error);
  }
}

/**
 * Creates a missing database file as 0600 before SQLite does (it would use 0644 less the umask),
 * so the database is never readable by others, not even empty; an existing one is tightened.
 */
function createPrivately(path: string): void {
  try {
    closeSync(openSync(path, 'wx', privateFileMode));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new DataDirUnwritableError(dirname(path), fsProblemInWords(error), error);
  }
  keepPrivate(path);
  for (const suffix of ['-wal', '-shm']) keepPrivate(path + suffix);
}

function checkHeader(path: string): void {
  let size: number;
  try {
    const info = statSync(path);
    if (!info.isFile()) throw new DatabaseCorruptError(path, 'it is not a regular file');
    size = info.size;
  } catch (error) {
    if (error instanceof DatabaseCorruptError) throw error;
    return; // a new file
  }
  if (size === 0) return;
  const header = Buffer.alloc(sqliteHeader.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(sqliteHeader)) throw new DatabaseCorruptError(path, 'it is not an SQLite database');
}
