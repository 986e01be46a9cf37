import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migration0001 } from '../../../../src-main/store/migrations/0001-initial.ts';
import { migration0002 } from '../../../../src-main/store/migrations/0002-providers-and-attempts.ts';
import { migration0003 } from '../../../../src-main/store/migrations/0003-interview.ts';
import { migration0004 } from '../../../../src-main/store/migrations/0004-pipeline.ts';

describe('migration 0004-pipeline', () => {
  const migrated = () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    for (const migration of [migration0001, migration0002, migration0003, migration0004]) db.transaction(() => migration.up(db))();
    db.prepare("INSERT INTO projects (id, name, created_at, updated_at) VALUES ('p', 'P', 't', 't')").run();
    return db;
  };
  const insertRun = (db: Database.Database, id = 'r', status = 'planning', spec = '{}') =>
    db.prepare("INSERT INTO pipeline_runs (id, project_id, status, spec, created_at, updated_at) VALUES (?, 'p', ?, ?, 't', 't')").run(id, status, spec);

  it('is version 4 and adds the run, file, version and finding tables', () => {
    expect(migration0004).toMatchObject({ version: 4, name: 'pipeline' });
    const tables = migrated().prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual([
      'attempts',
      'file_versions',
      'interview_failures',
      'interview_turns',
      'model_prices',
      'pipeline_runs',
      'projects',
      'providers',
      'routing',
      'run_files',
      'run_findings',
      'service_specs',
      'settings',
    ]);
  });

  it('fills the defaults of a new run and a new file', () => {
    const db = migrated();
    insertRun(db);
    expect(db.prepare("SELECT concurrency, phase, plan, error FROM pipeline_runs WHERE id = 'r'").get()).toEqual({ concurrency: 4, phase: 'plan', plan: null, error: null });
    db.prepare("INSERT INTO run_files (run_id, path, position, status, updated_at) VALUES ('r', 'app/main.py', 0, 'pending', 't')").run();
    expect(db.prepare('SELECT attempts, input_tokens, output_tokens, problems, content FROM run_files').get()).toEqual({ attempts: 0, input_tokens: 0, output_tokens: 0, problems: '[]', content: null });
  });

  it('accepts only known statuses and JSON specs, plans and problems', () => {
    const db = migrated();
    expect(() => insertRun(db, 'bad-status', 'running')).toThrow(/CHECK/);
    expect(() => insertRun(db, 'bad-spec', 'planning', 'not json')).toThrow(/CHECK/);
    insertRun(db);
    expect(() => db.prepare("UPDATE pipeline_runs SET plan = '{files' WHERE id = 'r'").run()).toThrow(/CHECK/);
    db.prepare(`UPDATE pipeline_runs SET plan = '{"files":[]}' WHERE id = 'r'`).run();
    const file = db.prepare("INSERT INTO run_files (run_id, path, position, status, problems, updated_at) VALUES ('r', ?, 0, ?, ?, 't')");
    expect(() => file.run('a.py', 'finished', '[]')).toThrow(/CHECK/);
    expect(() => file.run('a.py', 'pending', 'oops')).toThrow(/CHECK/);
    file.run('a.py', 'pending', '[]');
    const version = db.prepare("INSERT INTO file_versions (run_id, path, reason, content, problems, created_at) VALUES ('r', 'a.py', ?, 'x', ?, 't')");
    expect(() => version.run('rewrite', '[]')).toThrow(/CHECK/);
    expect(() => version.run('generate', 'no')).toThrow(/CHECK/);
    version.run('generate', '[]');
    const finding = db.prepare("INSERT INTO run_findings (run_id, round, source, path, message, status, created_at) VALUES ('r', 1, ?, 'a.py', 'm', ?, 't')");
    expect(() => finding.run('linter', 'open')).toThrow(/CHECK/);
    expect(() => finding.run('static', 'ignored')).toThrow(/CHECK/);
    finding.run('review', 'open');
  });

  it('holds one row per file of a run, and strict column types', () => {
    const db = migrated();
    insertRun(db);
    const file = db.prepare("INSERT INTO run_files (run_id, path, position, status, updated_at) VALUES ('r', 'a.py', ?, 'pending', 't')");
    file.run(0);
    expect(() => file.run(1)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO run_files (run_id, path, position, status, updated_at) VALUES ('r', 'b.py', 'first', 'pending', 't')").run()).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('refuses rows of a run or project that does not exist', () => {
    const db = migrated();
    expect(() => db.prepare("INSERT INTO pipeline_runs (id, project_id, status, spec, created_at, updated_at) VALUES ('r', 'ghost', 'planning', '{}', 't', 't')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO run_files (run_id, path, position, status, updated_at) VALUES ('ghost', 'a.py', 0, 'pending', 't')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO file_versions (run_id, path, reason, content, problems, created_at) VALUES ('ghost', 'a.py', 'generate', 'x', '[]', 't')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO run_findings (run_id, round, source, path, message, status, created_at) VALUES ('ghost', 1, 'static', 'a.py', 'm', 'open', 't')").run()).toThrow(/FOREIGN KEY/);
  });

  it('deletes runs, files, versions and findings with their project', () => {
    const db = migrated();
    insertRun(db);
    db.prepare("INSERT INTO run_files (run_id, path, position, status, updated_at) VALUES ('r', 'a.py', 0, 'done', 't')").run();
    db.prepare("INSERT INTO file_versions (run_id, path, reason, content, problems, created_at) VALUES ('r', 'a.py', 'generate', 'x', '[]', 't')").run();
    db.prepare("INSERT INTO run_findings (run_id, round, source, path, message, status, created_at) VALUES ('r', 1, 'static', 'a.py', 'm', 'open', 't')").run();
    db.prepare("DELETE FROM projects WHERE id = 'p'").run();
    for (const table of ['pipeline_runs', 'run_files', 'file_versions', 'run_findings']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(0);
    }
  });
});
