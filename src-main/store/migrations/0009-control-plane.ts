import type { Migration } from '../Migration.ts';

/**
 * The control plane's tables. Attempts say which project and generation run they were for and
 * whether the answer came from the response cache; a generation run may be "fresh" (its calls
 * never answered from the cache: a regenerate). Budgets (overall, per provider, per project;
 * daily or monthly) are checked against `budget_ledger`: a call reserves its projected cost
 * before it is sent and settles it with the real cost after, in one SQLite transaction each, so
 * the app and every CLI process share one count and concurrent calls cannot overspend together.
 * `rate_usage` is the shared one-minute window of requests and tokens per provider. The response
 * cache keeps answers by the hash of what was asked (provider, model, messages, parameters,
 * schema, prompt version), with a last-used time for least-recently-used eviction.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'control-plane',
  up(db) {
    db.exec(`
      ALTER TABLE attempts ADD COLUMN project_id TEXT;
      ALTER TABLE attempts ADD COLUMN run_id TEXT;
      ALTER TABLE attempts ADD COLUMN cache_hit INTEGER NOT NULL DEFAULT 0 CHECK (cache_hit IN (0, 1));
      CREATE INDEX attempts_project ON attempts (project_id, started_at);
      ALTER TABLE pipeline_runs ADD COLUMN fresh INTEGER NOT NULL DEFAULT 0 CHECK (fresh IN (0, 1));

      CREATE TABLE budgets (
        id INTEGER PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('overall', 'provider', 'project')),
        scope_id TEXT NOT NULL DEFAULT '',
        period TEXT NOT NULL CHECK (period IN ('day', 'month')),
        limit_usd REAL NOT NULL CHECK (limit_usd >= 0),
        updated_at TEXT NOT NULL,
        UNIQUE (scope, scope_id, period)
      ) STRICT;

      CREATE TABLE budget_ledger (
        id INTEGER PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        request_id TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        model TEXT NOT NULL,
        project_id TEXT,
        amount_usd REAL NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('reserved', 'settled')),
        expires_at_ms INTEGER
      ) STRICT;
      CREATE INDEX budget_ledger_at ON budget_ledger (at_ms);

      CREATE TABLE rate_usage (
        id INTEGER PRIMARY KEY,
        provider_id TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        tokens INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX rate_usage_provider ON rate_usage (provider_id, at_ms);

      CREATE TABLE response_cache (
        key TEXT PRIMARY KEY,
        provider_id TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt_version TEXT,
        answer TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        used_at_ms INTEGER NOT NULL,
        hits INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX response_cache_used ON response_cache (used_at_ms);

      CREATE TABLE cache_stats (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        hits INTEGER NOT NULL,
        misses INTEGER NOT NULL,
        stores INTEGER NOT NULL,
        evictions INTEGER NOT NULL,
        since TEXT NOT NULL
      ) STRICT;
    `);
  },
};
