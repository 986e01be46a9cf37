import type { Migration } from '../Migration.ts';

/**
 * The control plane's tables. Attempts say which project and generation run they were for and
 * whether the answer came from the response cache; a generation run may be "fresh" (its calls
 * never answered from the cache: a regenerate). Budgets (overall, per provider, per project;
 * daily or monthly) are checked against `spend_totals` (what calls cost, per scope and calendar
 * period, added as attempts are written) and `budget_ledger` (the projected cost a call reserves
 * before it is sent, released once its real cost is in the totals), in one SQLite transaction
 * each, so the app and every CLI process share one count and concurrent calls cannot overspend
 * together. `rate_usage` is the shared one-minute window of requests and tokens per provider, in
 * one row per second. The response
 * cache keeps answers by the hash of what was asked (provider, model, messages, parameters,
 * schema, prompt version), with a last-used time for least-recently-used eviction.
 */
/** The tables the cached configuration is read from (settings, providers, routing and strategies, prices, projects kept local, budgets). */
export const configTables = ['settings', 'providers', 'routing', 'model_prices', 'projects', 'budgets'] as const;

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
      ALTER TABLE pipeline_runs ADD COLUMN check_note TEXT;

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

      CREATE TABLE spend_totals (
        scope TEXT NOT NULL,
        scope_id TEXT NOT NULL,
        period TEXT NOT NULL,
        period_start_ms INTEGER NOT NULL,
        usd REAL NOT NULL,
        PRIMARY KEY (scope, scope_id, period, period_start_ms)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE rate_usage (
        provider_id TEXT NOT NULL,
        second INTEGER NOT NULL,
        requests INTEGER NOT NULL,
        tokens INTEGER NOT NULL,
        PRIMARY KEY (provider_id, second)
      ) STRICT, WITHOUT ROWID;

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
      CREATE INDEX response_cache_expires ON response_cache (expires_at_ms);

      CREATE TABLE cache_stats (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        hits INTEGER NOT NULL,
        misses INTEGER NOT NULL,
        stores INTEGER NOT NULL,
        evictions INTEGER NOT NULL,
        since TEXT NOT NULL
      ) STRICT;

      CREATE TABLE config_generation (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        n INTEGER NOT NULL
      ) STRICT;
      INSERT INTO config_generation (id, n) VALUES (1, 0);
    `);
    // Every write to what a model call is configured by moves the generation, from any connection
    // or process; writes of what calls record (attempts, the cache, the ledger, the audit trail)
    // do not, so the parsed configuration is kept across calls (cacheUntilChange).
    for (const table of configTables) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`CREATE TRIGGER ${table}_${event.toLowerCase()}_config AFTER ${event} ON ${table} BEGIN UPDATE config_generation SET n = n + 1 WHERE id = 1; END;`);
      }
    }
    // What calls already cost this day and month, per provider and overall, so a budget set today
    // counts them (local calendar periods, as the app computes them; project ids were not recorded).
    for (const [period, start] of [
      ['day', "date(started_at, 'localtime')"],
      ['month', "date(started_at, 'localtime', 'start of month')"],
    ] as const) {
      for (const [scope, scopeId] of [
        ['overall', "''"],
        ['provider', 'provider_id'],
      ] as const) {
        db.exec(`
          INSERT INTO spend_totals (scope, scope_id, period, period_start_ms, usd)
          SELECT '${scope}', ${scopeId}, '${period}', CAST(strftime('%s', ${start}, 'utc') AS INTEGER) * 1000, SUM(cost_usd)
          FROM attempts WHERE cost_usd > 0 GROUP BY 2, 4
        `);
      }
    }
  },
};
