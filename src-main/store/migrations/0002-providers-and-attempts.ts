import type { Migration } from '../Migration.ts';

/**
 * Providers (their configuration as validated JSON; keys never: those live in the keychain),
 * routing per task, one row per model-call attempt (usage, costs, audit), and the user's own
 * prices per model, which override the shipped price table.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'providers-and-attempts',
  up(db) {
    db.exec(`
      CREATE TABLE providers (
        id TEXT PRIMARY KEY NOT NULL,
        position INTEGER NOT NULL,
        config TEXT NOT NULL CHECK (json_valid(config))
      ) STRICT;

      CREATE TABLE routing (
        task TEXT PRIMARY KEY NOT NULL,
        targets TEXT NOT NULL CHECK (json_valid(targets))
      ) STRICT;

      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        request_id TEXT NOT NULL,
        attempt_no INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        task TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        model TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'error', 'skipped', 'cancelled')),
        error_kind TEXT,
        status INTEGER,
        input_tokens INTEGER,
        output_tokens INTEGER,
        latency_ms INTEGER,
        first_token_ms INTEGER,
        cost_usd REAL,
        reason TEXT NOT NULL,
        message TEXT
      ) STRICT;
      CREATE INDEX attempts_request ON attempts (request_id, attempt_no);
      CREATE INDEX attempts_started ON attempts (started_at);

      CREATE TABLE model_prices (
        model TEXT PRIMARY KEY NOT NULL,
        input_per_million REAL NOT NULL CHECK (input_per_million >= 0),
        output_per_million REAL NOT NULL CHECK (output_per_million >= 0)
      ) STRICT;
    `);
  },
};
