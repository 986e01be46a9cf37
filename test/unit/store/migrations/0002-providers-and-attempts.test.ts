import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migration0001 } from '../../../../src-main/store/migrations/0001-initial.ts';
import { migration0002 } from '../../../../src-main/store/migrations/0002-providers-and-attempts.ts';

describe('migration 0002-providers-and-attempts', () => {
  const migrated = () => {
    const db = new Database(':memory:');
    for (const migration of [migration0001, migration0002]) db.transaction(() => migration.up(db))();
    return db;
  };

  it('adds providers, routing and attempts, keeping the earlier tables', () => {
    const tables = migrated().prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['attempts', 'model_prices', 'projects', 'providers', 'routing', 'settings']);
  });

  it('accepts only known attempt outcomes', () => {
    const db = migrated();
    const insert = db.prepare(
      "INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, reason) VALUES ('r', 1, 't', 'code', 'p', 'm', ?, 'why')",
    );
    insert.run('ok');
    insert.run('skipped');
    expect(() => insert.run('maybe')).toThrow(/CHECK/);
  });

  it('has no column that could hold an API key', () => {
    const db = migrated();
    const columns = db.prepare("SELECT name FROM pragma_table_info('providers')").pluck().all();
    expect(columns).toEqual(['id', 'position', 'config']);
  });
});
