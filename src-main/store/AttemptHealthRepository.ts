import type { Database, Statement } from 'better-sqlite3';

/** One attempt as provider health reads it: no texts, no tokens, no prompt hash. */
export interface HealthRow {
  providerId: string;
  model: string;
  outcome: 'ok' | 'error' | 'skipped' | 'cancelled';
  startedAt: string;
  latencyMs: number | null;
  cacheHit: boolean;
  /** A skip because the target's breaker was open (the router's reason "circuit open …"). */
  skippedWhilePaused: boolean;
}

/**
 * The attempts of a recent window for provider health (observability/), read on their own
 * columns. The router words a skip for an open breaker as "circuit open after repeated failures …"
 * (router/Router.ts); test/unit/observability/providerHealthFromRouter.test.ts drives a breaker
 * open through the real router and fails if that reason stops being recognised here.
 */
export class AttemptHealthRepository {
  readonly #db: Database;
  #since: Statement | undefined;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Attempts started at or after `since` (ISO time), oldest first; at most `limit` of the newest. */
  since(since: string, limit = 200_000): HealthRow[] {
    this.#since ??= this.#db.prepare(
      `SELECT provider_id, model, outcome, started_at, latency_ms, cache_hit, reason LIKE 'circuit open%' AS paused
         FROM (SELECT * FROM attempts WHERE started_at >= ? ORDER BY started_at DESC LIMIT ?) ORDER BY started_at`,
    );
    const rows = this.#since.all(since, limit) as { provider_id: string; model: string; outcome: HealthRow['outcome']; started_at: string; latency_ms: number | null; cache_hit: number; paused: number }[];
    return rows.map((row) => ({
      providerId: row.provider_id,
      model: row.model,
      outcome: row.outcome,
      startedAt: row.started_at,
      latencyMs: row.latency_ms,
      cacheHit: row.cache_hit === 1,
      skippedWhilePaused: row.outcome === 'skipped' && row.paused === 1,
    }));
  }
}
