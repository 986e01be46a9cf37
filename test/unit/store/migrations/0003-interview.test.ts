import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migration0001 } from '../../../../src-main/store/migrations/0001-initial.ts';
import { migration0002 } from '../../../../src-main/store/migrations/0002-providers-and-attempts.ts';
import { migration0003 } from '../../../../src-main/store/migrations/0003-interview.ts';

describe('migration 0003-interview', () => {
  const migrated = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const migration of [migration0001, migration0002, migration0003]) db.transaction(() => migration.up(db))();
    db.prepare("INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p', 'P', 't', 't')").run();
    return db;
  };

  it('adds the spec, turn and failure tables', () => {
    const tables = migrated().prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['attempts', 'interview_failures', 'interview_turns', 'model_prices', 'projects', 'providers', 'routing', 'service_specs', 'settings']);
  });

  it('accepts only JSON specs and known statuses, and deletes everything with its project', () => {
    const db = migrated();
    expect(() => db.prepare("INSERT INTO service_specs VALUES ('p', 'not json', 't')").run()).toThrow(/CHECK/);
    db.prepare(`INSERT INTO service_specs VALUES ('p', '{"specVersion":2}', 't')`).run();
    const turn = db.prepare(
      `INSERT INTO interview_turns (project_id, field, question, explanation, options, question_type, step, total_steps, status, prompt_version, provider_id, model, request_id, raw, created_at)
       VALUES ('p', 'pricing', 'q', 'e', '[]', 'single', 1, 9, ?, 'interview@1', 'f', 'm', 'r', '{}', 't')`,
    );
    turn.run('pending');
    expect(() => turn.run('maybe')).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO service_specs VALUES ('ghost', '{}', 't')").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM projects WHERE id = 'p'").run();
    expect(db.prepare('SELECT count(*) FROM interview_turns').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM service_specs').pluck().get()).toBe(0);
  });
});
