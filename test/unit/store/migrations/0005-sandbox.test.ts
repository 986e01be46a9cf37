import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../src-main/store/migrations/index.ts';

describe('migration 0005-sandbox', () => {
  const migrated = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const migration of migrations.filter((m) => m.version <= 5)) db.transaction(() => migration.up(db))();
    db.prepare("INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p', 'P', 't', 't')").run();
    db.prepare("INSERT INTO pipeline_runs (id, project_id, status, spec, created_at, updated_at) VALUES ('r', 'p', 'done', '{}', 't', 't')").run();
    return db;
  };

  it('adds test runs, repairs and their rounds', () => {
    const tables = migrated().prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('test_runs', 'repairs', 'repair_rounds') ORDER BY name").pluck().all();
    expect(tables).toEqual(['repair_rounds', 'repairs', 'test_runs']);
  });

  it('accepts only known statuses and JSON results, and deletes everything with the generation run', () => {
    const db = migrated();
    const testRun = db.prepare("INSERT INTO test_runs (id, project_id, pipeline_run_id, status, image, result, created_at) VALUES (?, 'p', 'r', ?, 'img', ?, 't')");
    testRun.run('t1', 'finished', '{"outcome":"passed"}');
    expect(() => testRun.run('t2', 'maybe', null)).toThrow(/CHECK/);
    expect(() => testRun.run('t3', 'finished', 'not json')).toThrow(/CHECK/);
    db.prepare("INSERT INTO repairs (id, project_id, pipeline_run_id, status, max_rounds, created_at) VALUES ('x', 'p', 'r', 'running', 3, 't')").run();
    expect(() => db.prepare("INSERT INTO repairs (id, project_id, pipeline_run_id, status, max_rounds, created_at) VALUES ('y', 'p', 'r', 'done?', 3, 't')").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO repair_rounds (repair_id, round, changed, test_run_id, passed, failed, created_at) VALUES ('x', 1, '[]', 't1', 1, 0, 't')").run();
    expect(() => db.prepare("INSERT INTO test_runs (id, project_id, pipeline_run_id, status, image, created_at) VALUES ('t4', 'p', 'ghost', 'running', 'img', 't')").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM pipeline_runs WHERE id = 'r'").run();
    for (const table of ['test_runs', 'repairs', 'repair_rounds']) expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
  });
});
