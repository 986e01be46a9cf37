import type { Migration } from '../Migration.ts';

/**
 * Generation runs. A run holds the spec it started from and its plan; each planned file has a
 * row with its state, so a killed process resumes without regenerating finished files. Every
 * version of a file (first draft, formatting, each fix) is kept for the diff view and provenance,
 * and every consistency or review finding is stored with what became of it.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'pipeline',
  up(db) {
    db.exec(`
      CREATE TABLE pipeline_runs (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('planning', 'planned', 'generating', 'paused', 'cancelled', 'failed', 'done')),
        spec TEXT NOT NULL CHECK (json_valid(spec)),
        plan TEXT CHECK (plan IS NULL OR json_valid(plan)),
        plan_prompt_version TEXT,
        concurrency INTEGER NOT NULL DEFAULT 4,
        phase TEXT NOT NULL DEFAULT 'plan' CHECK (phase IN ('plan', 'files', 'consistency', 'docs', 'done')),
        error TEXT,
        -- pid:uuid of the core working on it (null when none): see processOwner.ts.
        owner TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX pipeline_runs_project ON pipeline_runs (project_id, created_at);

      CREATE TABLE run_files (
        run_id TEXT NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        position INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'generating', 'done', 'failed', 'blocked')),
        content TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        provider_id TEXT,
        model TEXT,
        prompt_version TEXT,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        problems TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(problems)),
        error TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (run_id, path)
      ) STRICT;

      CREATE TABLE file_versions (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('generate', 'format', 'fix', 'consistency', 'review', 'docs', 'repair')),
        content TEXT NOT NULL,
        problems TEXT NOT NULL CHECK (json_valid(problems)),
        provider_id TEXT,
        model TEXT,
        request_id TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX file_versions_file ON file_versions (run_id, path, id);

      CREATE TABLE run_findings (
        id INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
        round INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('static', 'review')),
        path TEXT NOT NULL,
        line INTEGER,
        message TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'fixed', 'unfixed')),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX run_findings_run ON run_findings (run_id, id);
    `);
  },
};
