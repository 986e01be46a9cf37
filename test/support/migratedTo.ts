import Database from 'better-sqlite3';
import { migrations } from '../../src-main/store/migrations/index.ts';

/** A database (a new in-memory one unless given) with every migration up to `version` applied, each in its transaction. */
export function migratedTo(version: number, db = new Database(':memory:')): Database.Database {
  const current = Number(db.pragma('user_version', { simple: true }));
  for (const migration of migrations.filter((m) => m.version > current && m.version <= version)) {
    db.transaction(() => migration.up(db))();
    db.pragma(`user_version = ${migration.version}`);
  }
  return db;
}
