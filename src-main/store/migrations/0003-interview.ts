import type { Migration } from '../Migration.ts';

/**
 * The requirements interview: one service spec draft per project (validated JSON), every question
 * asked with the model's raw answer, the prompt version and the user's answer, and the failed
 * attempts to get a question (kept so nothing the model said, or the user typed, is lost).
 * Everything goes with its project (ON DELETE CASCADE).
 */
export const migration0003: Migration = {
  version: 3,
  name: 'interview',
  up(db) {
    db.exec(`
      CREATE TABLE service_specs (
        project_id TEXT PRIMARY KEY NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        spec TEXT NOT NULL CHECK (json_valid(spec)),
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE interview_turns (
        id INTEGER PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        question TEXT NOT NULL,
        explanation TEXT NOT NULL,
        options TEXT NOT NULL CHECK (json_valid(options)),
        question_type TEXT NOT NULL CHECK (question_type IN ('single', 'multi', 'free_text')),
        step INTEGER NOT NULL,
        total_steps INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'answered', 'vague', 'superseded')),
        answer TEXT CHECK (answer IS NULL OR json_valid(answer)),
        outcome TEXT,
        prompt_version TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        model TEXT NOT NULL,
        request_id TEXT NOT NULL,
        raw TEXT NOT NULL,
        created_at TEXT NOT NULL,
        answered_at TEXT
      ) STRICT;
      CREATE INDEX interview_turns_project ON interview_turns (project_id, id);

      CREATE TABLE interview_failures (
        id INTEGER PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        raw TEXT,
        prompt_version TEXT NOT NULL,
        resolved INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
      ) STRICT;
      CREATE INDEX interview_failures_project ON interview_failures (project_id, id);
    `);
  },
};
