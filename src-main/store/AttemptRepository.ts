import type { Database, Statement } from 'better-sqlite3';
import { balanceStrategySchema } from '../../src-shared/domain/balanceStrategy.ts';
import { providerLocations, type ProviderLocation } from '../../src-shared/domain/provider.ts';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import { ScrubbedReasons } from '../secrets/ScrubbedReasons.ts';
import type { AttemptOutcome, AttemptRecord } from '../modelCall/modelCallTypes.ts';
import { budgetCalendar } from './budgetCalendar.ts';
import { periodStart } from './periodStart.ts';
import type { ZonedCalendar } from './ZonedCalendar.ts';

/**
 * Every model-call attempt, for usage, costs and the audit trail. Records are queued and written
 * in one transaction, off the call's path: once `batchRows` are queued, on the next turn of the
 * event loop (setImmediate); otherwise at most `flushMs` later; and before every read and on
 * close. One commit per request was 40% of a loopback call (bench/routerOverhead.ts); a
 * hundred rows written at once (the 100 ms of a busy loop) stalled the call under way for 1-3
 * ms, the p99's tail, where a batch of 16 takes about 0.2 ms. A process killed outright loses at
 * most that window of records.
 */
/** How long a batch that could not commit waits before it is tried again. */
const retryMs = 1_000;

export class AttemptRepository {
  readonly #db: Database;
  readonly #flushMs: number;
  readonly #batchRows: number;
  readonly #queue: AttemptRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #insert: Statement | undefined;
  #addTotal: Statement | undefined;
  readonly #reasons = new ScrubbedReasons();
  /** What else is written with each batch, in its transaction (budget leases' settled costs, audit rows). */
  readonly #alongside: WrittenAlongside[] = [];

  constructor(db: Database, options: { flushMs?: number; batchRows?: number } = {}) {
    this.#db = db;
    this.#flushMs = options.flushMs ?? 100;
    this.#batchRows = options.batchRows ?? 16;
  }

  /**
   * Queues a record. Its texts (the provider's error message, the reason) are scrubbed of keys
   * first, whatever the caller did: nothing written here may hold a secret. The record is kept
   * as it is until its batch is written: the caller does not change it after.
   */
  insert(record: AttemptRecord): void {
    // Scrubbed in place, not copied: the record is the call's own (its result's attempts), and
    // nothing of it that the caller sees may hold a key either.
    record.reason = this.#reasons.scrub(record.reason);
    if (record.message !== undefined) record.message = scrubSecrets(record.message);
    const queued = this.#queue.push(record);
    if (queued >= this.#batchRows) {
      this.#immediate ??= setImmediate(() => this.#flushOffTheCall());
      return;
    }
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.#flushOffTheCall(), this.#flushMs);
    this.#timer.unref();
  }

  /**
   * Registers a writer that runs inside every batch's transaction, after the batch's rows (and
   * their costs in spend_totals) are written: what must never be seen without them, or them
   * without it, commits with them. `pending()` says whether it has anything to write (a batch is
   * then written even with no attempts queued); `soon()` asks for a batch to be written shortly.
   */
  writeAlongside(writer: WrittenAlongside): void {
    this.#alongside.push(writer);
  }

  /** Asks for a write within `flushMs` (a writer registered with writeAlongside has something queued). */
  soon(): void {
    if (this.#timer || this.#immediate) return;
    this.#timer = setTimeout(() => this.#flushOffTheCall(), this.#flushMs);
    this.#timer.unref();
  }

  /** Writes queued records (and whatever is written alongside them) now, in one IMMEDIATE transaction. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    clearImmediate(this.#immediate);
    this.#immediate = undefined;
    if (!this.#db.open || (this.#queue.length === 0 && !this.#alongside.some((writer) => writer.pending()))) return;
    const records = this.#queue.splice(0);
    // Positional parameters: binding 20 named ones cost twice as much per row.
    this.#insert ??= this.#db.prepare(
      `INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, error_kind, status,
         input_tokens, output_tokens, latency_ms, first_token_ms, cost_usd, reason, strategy, message, project_id, run_id, cache_hit, prompt_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insert = this.#insert;
    const wrote: WrittenAlongside[] = [];
    const batch = this.#db.transaction(() => {
      const totals = new Map<string, { scope: string; scopeId: string; period: 'day' | 'month'; start: number; usd: number }>();
      let calendar: ZonedCalendar | undefined;
      for (const r of records) {
        if (r.costUsd !== undefined && r.costUsd > 0) addToTotals(totals, r, r.costUsd, (calendar ??= budgetCalendar(this.#db)));
        insert.run(
          r.requestId, r.attemptNo, r.startedAt, r.task, r.providerId, r.model, r.outcome, r.errorKind ?? null, r.status ?? null,
          r.inputTokens ?? null, r.outputTokens ?? null, r.latencyMs ?? null, r.firstTokenMs ?? null, r.costUsd ?? null, r.reason, r.strategy ?? null, r.message ?? null,
          r.projectId ?? null, r.runId ?? null, r.cacheHit ? 1 : 0, r.promptVersion ?? null,
        );
      }
      if (totals.size > 0) {
        this.#addTotal ??= this.#db.prepare(
          `INSERT INTO spend_totals (scope, scope_id, period, period_start_ms, usd) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (scope, scope_id, period, period_start_ms) DO UPDATE SET usd = usd + excluded.usd`,
        );
        for (const total of totals.values()) this.#addTotal.run(total.scope, total.scopeId, total.period, total.start, total.usd);
      }
      for (const writer of this.#alongside) {
        if (!writer.pending()) continue;
        wrote.push(writer);
        writer.write();
      }
    });
    try {
      batch.immediate();
    } catch (error) {
      // Nothing was written: the records wait for the next batch, and each writer keeps what it had.
      this.#queue.unshift(...records);
      for (const writer of wrote) writer.rolledBack?.();
      throw error;
    }
    for (const writer of wrote) writer.committed?.();
  }

  /**
   * A batch written from a timer. One that cannot commit (another process holding the write lock
   * past the busy timeout, a full disk) is tried again a second later, its records kept: it must
   * neither take the process down nor lose them. A read or close meanwhile flushes and says why.
   */
  #flushOffTheCall(): void {
    try {
      this.flush();
    } catch {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#flushOffTheCall(), retryMs);
      this.#timer.unref();
    }
  }

  forRequest(requestId: string): AttemptRecord[] {
    this.flush();
    return (this.#db.prepare('SELECT * FROM attempts WHERE request_id = ? ORDER BY attempt_no').all(requestId) as Row[]).map(fromRow);
  }

  /**
   * The most recent attempts for the Usage page, newest first: `calls` (attempts that reached a
   * provider) and `skipped` (targets the router passed over, with why) each get their own `limit`,
   * so many skips never push the calls out. Each says where its provider runs, as configured now
   * (absent once the provider is removed); a call to a local provider that has no price costs 0,
   * not "unknown": it ran on this machine.
   */
  /**
   * Times to first token of the attempts started since `sinceMs`, by any process, oldest first; an
   * attempt that timed out before its first token counts with how long it waited (least-latency).
   */
  latencySamples(sinceMs: number): { providerId: string; model: string; ms: number; at: number }[] {
    this.flush();
    const rows = this.#db
      .prepare(
        `SELECT provider_id, model, ms, started_at FROM (
           SELECT id, provider_id, model, COALESCE(first_token_ms, CASE WHEN error_kind = 'timeout' THEN latency_ms END) AS ms, started_at FROM attempts
           WHERE started_at >= ? AND (first_token_ms IS NOT NULL OR (error_kind = 'timeout' AND latency_ms IS NOT NULL)) ORDER BY started_at DESC, id DESC LIMIT 10000
         ) ORDER BY started_at, id`,
      )
      .raw()
      .all(new Date(sinceMs).toISOString()) as [string, string, number, string][];
    return rows.map(([providerId, model, ms, startedAt]) => ({ providerId, model, ms, at: Date.parse(startedAt) }));
  }

  recent(limit = 100, kind?: 'calls' | 'skipped'): UsageAttempt[] {
    this.flush();
    const where = kind === 'calls' ? "WHERE a.outcome <> 'skipped'" : kind === 'skipped' ? "WHERE a.outcome = 'skipped'" : '';
    const rows = this.#db
      .prepare(`SELECT a.*, json_extract(p.config, '$.location') AS location FROM attempts a LEFT JOIN providers p ON p.id = a.provider_id ${where} ORDER BY a.id DESC LIMIT ?`)
      .all(limit) as (Row & { location: string | null })[];
    return rows.map((row) => {
      const record = fromRow(row);
      const location = providerLocations.find((known) => known === row.location);
      if (location === undefined) return record;
      const free = location === 'local' && record.outcome !== 'skipped' && record.costUsd === undefined;
      return { ...record, location, ...(free ? { costUsd: 0 } : {}) };
    });
  }
}

/**
 * What a call cost, added to the batch's running totals (written to spend_totals, which budgets
 * are checked against, once per scope and period for the whole batch): overall, its provider's
 * and its project's, for its day and month in the data folder's zone (budgetCalendar). Budgets read one row per scope
 * instead of summing the period's attempts on every call.
 */
function addToTotals(totals: Map<string, { scope: string; scopeId: string; period: 'day' | 'month'; start: number; usd: number }>, record: AttemptRecord, usd: number, calendar: ZonedCalendar): void {
  const at = Date.parse(record.startedAt);
  for (const period of ['day', 'month'] as const) {
    const start = periodStart(period, at, calendar);
    const scopes: [string, string][] = [['overall', ''], ['provider', record.providerId]];
    if (record.projectId !== undefined) scopes.push(['project', record.projectId]);
    for (const [scope, scopeId] of scopes) {
      const key = `${scope}\u0000${scopeId}\u0000${period}\u0000${start}`;
      const total = totals.get(key);
      if (total) total.usd += usd;
      else totals.set(key, { scope, scopeId, period, start, usd });
    }
  }
}

/** A writer whose rows commit with a batch of attempts (AttemptRepository.writeAlongside). */
export interface WrittenAlongside {
  pending(): boolean;
  /** Runs inside the batch's transaction. */
  write(): void;
  /** After `write`, once its transaction committed. */
  committed?(): void;
  /** After `write`, when its transaction was rolled back. */
  rolledBack?(): void;
}

/** An attempt as the Usage page lists it: where its provider runs, when the provider still exists. */
export type UsageAttempt = AttemptRecord & { location?: ProviderLocation };

interface Row {
  request_id: string;
  attempt_no: number;
  started_at: string;
  task: string;
  provider_id: string;
  model: string;
  outcome: AttemptOutcome;
  error_kind: string | null;
  status: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  latency_ms: number | null;
  first_token_ms: number | null;
  cost_usd: number | null;
  reason: string;
  strategy: string | null;
  message: string | null;
  project_id: string | null;
  run_id: string | null;
  cache_hit: number;
  prompt_version: string | null;
}

function fromRow(row: Row): AttemptRecord {
  return withoutUndefined({
    requestId: row.request_id,
    attemptNo: row.attempt_no,
    startedAt: row.started_at,
    task: row.task,
    providerId: row.provider_id,
    model: row.model,
    outcome: row.outcome,
    errorKind: row.error_kind ?? undefined,
    status: row.status ?? undefined,
    inputTokens: row.input_tokens ?? undefined,
    outputTokens: row.output_tokens ?? undefined,
    latencyMs: row.latency_ms ?? undefined,
    firstTokenMs: row.first_token_ms ?? undefined,
    costUsd: row.cost_usd ?? undefined,
    reason: row.reason,
    strategy: balanceStrategySchema.safeParse(row.strategy).data,
    message: row.message ?? undefined,
    projectId: row.project_id ?? undefined,
    runId: row.run_id ?? undefined,
    promptVersion: row.prompt_version ?? undefined,
    cacheHit: row.cache_hit === 1 ? true : undefined,
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
