import type { Database, Statement } from 'better-sqlite3';
import { balanceStrategySchema } from '../../src-shared/domain/balanceStrategy.ts';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import type { AttemptOutcome, AttemptRecord } from '../modelCall/modelCallTypes.ts';

/**
 * Every model-call attempt, for usage, costs and the audit trail. Records are queued and written
 * in one transaction at most `flushMs` later (and before every read and on close), so recording
 * costs the model call nothing measurable: one commit per request was 40% of a loopback call
 * (bench/routerOverhead.ts). A process killed outright loses at most that window of records.
 */
export class AttemptRepository {
  readonly #db: Database;
  readonly #flushMs: number;
  readonly #queue: AttemptRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #insert: Statement | undefined;

  constructor(db: Database, options: { flushMs?: number } = {}) {
    this.#db = db;
    this.#flushMs = options.flushMs ?? 100;
  }

  /**
   * Queues a record. Its texts (the provider's error message, the reason) are scrubbed of keys
   * first, whatever the caller did: nothing written here may hold a secret.
   */
  insert(record: AttemptRecord): void {
    this.#queue.push({
      ...record,
      reason: scrubSecrets(record.reason),
      ...(record.message === undefined ? {} : { message: scrubSecrets(record.message) }),
    });
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), this.#flushMs);
    this.#timer.unref();
  }

  /** Writes queued records now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#queue.length === 0 || !this.#db.open) return;
    const records = this.#queue.splice(0);
    this.#insert ??= this.#db.prepare(
      `INSERT INTO attempts (request_id, attempt_no, started_at, task, provider_id, model, outcome, error_kind, status,
         input_tokens, output_tokens, latency_ms, first_token_ms, cost_usd, reason, strategy, message)
       VALUES (@requestId, @attemptNo, @startedAt, @task, @providerId, @model, @outcome, @errorKind, @status,
         @inputTokens, @outputTokens, @latencyMs, @firstTokenMs, @costUsd, @reason, @strategy, @message)`,
    );
    const insert = this.#insert;
    this.#db.transaction(() => {
      for (const record of records) {
        insert.run({
          errorKind: null,
          status: null,
          inputTokens: null,
          outputTokens: null,
          latencyMs: null,
          firstTokenMs: null,
          costUsd: null,
          strategy: null,
          message: null,
          ...withoutUndefined(record),
        });
      }
    })();
  }

  forRequest(requestId: string): AttemptRecord[] {
    this.flush();
    return (this.#db.prepare('SELECT * FROM attempts WHERE request_id = ? ORDER BY attempt_no').all(requestId) as Row[]).map(fromRow);
  }

  recent(limit = 100): AttemptRecord[] {
    this.flush();
    return (this.#db.prepare('SELECT * FROM attempts ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(fromRow);
  }
}

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
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
