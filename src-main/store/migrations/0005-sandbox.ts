import type { Migration } from '../Migration.ts';

/**
 * Sandbox test runs and repairs. A test run is one container run of a generated project's tests
 * (its result, cases and capped log); a repair is a bounded series of rounds, each recording the
 * files it changed and the test run that judged it.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'sandbox',
  up(db) {
    db.exec(`
      CREATE TABLE test_runs (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        pipeline_run_id TEXT NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
        repair_id TEXT REFERENCES repairs (id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'cancelled', 'interrupted')),
        image TEXT NOT NULL,
        result TEXT CHECK (result IS NULL OR json_valid(result)),
        log TEXT NOT NULL DEFAULT '',
        owner TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX test_runs_pipeline_run ON test_runs (pipeline_run_id, created_at);
      CREATE INDEX test_runs_project ON test_runs (project_id, created_at);

      CREATE TABLE repairs (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        pipeline_run_id TEXT NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('running', 'green', 'stopped', 'failed', 'cancelled', 'interrupted')),
        max_rounds INTEGER NOT NULL,
        note TEXT,
        owner TEXT,
        created_at TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;
      CREATE INDEX repairs_pipeline_run ON repairs (pipeline_run_id, created_at);

      CREATE TABLE repair_rounds (
        repair_id TEXT NOT NULL REFERENCES repairs (id) ON DELETE CASCADE,
        round INTEGER NOT NULL,
        changed TEXT NOT NULL CHECK (json_valid(changed)),
        test_run_id TEXT REFERENCES test_runs (id) ON DELETE SET NULL,
        passed INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        note TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (repair_id, round)
      ) STRICT;
    `);
  },
};
