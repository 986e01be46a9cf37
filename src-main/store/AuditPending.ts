import type { Database, Statement } from 'better-sqlite3';
import type { AuditEntry } from './AuditRepository.ts';
import { canonicalCounts, parseCounts } from './auditCounts.ts';

/** A request on its way out: its audit row without what only its end can say. */
export type SendingEntry = Omit<AuditEntry, 'outcome' | 'bytesReceived'>;

export interface AuditPendingOptions {
  /** Who writes here (a core: ProcessOwner's token); its rows are never taken as left behind while it is alive. */
  owner: string;
  /** Whether the owner of a row may still be working (its core open, or its process alive). */
  ownerAlive: (owner: string) => boolean;
  now?: () => number;
  /** A row older than this is left behind whoever wrote it (another machine's process sharing the folder): longer than any call may take. Default 2 h. */
  maxAgeMs?: number;
}

interface Row {
  request_id: string;
  attempt_no: number;
  owner: string;
  at: string;
  task: string;
  provider_id: string;
  host: string;
  model: string;
  bytes_sent: number;
  prompt_sha256: string;
  redactions: string;
  reason: string;
}

/**
 * The audit trail's write-ahead: a request off this machine is written here (committed) before it
 * is sent, and taken out in the transaction that appends its row to the trail once the attempt
 * ends. What a process killed meanwhile left here is found by the next one (`leftBehind`) and
 * appended to the trail as interrupted, so every request that left has its row.
 */
export class AuditPending {
  readonly #db: Database;
  readonly #options: Required<AuditPendingOptions>;
  #insert: Statement | undefined;
  #delete: Statement | undefined;

  constructor(db: Database, options: AuditPendingOptions) {
    this.#db = db;
    this.#options = { now: Date.now, maxAgeMs: 2 * 60 * 60 * 1000, ...options };
  }

  /** Before the request is sent: committed at once (its own transaction unless the caller holds one). */
  add(entry: SendingEntry): void {
    this.#insert ??= this.#db.prepare(
      `INSERT OR REPLACE INTO audit_pending (request_id, attempt_no, owner, at, task, provider_id, host, model, bytes_sent, prompt_sha256, redactions, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insert.run(entry.requestId, entry.attemptNo, this.#options.owner, entry.at, entry.task, entry.providerId, entry.host, entry.model, entry.bytesSent, entry.promptSha256, canonicalCounts(entry.redactions), entry.reason);
  }

  /** Its row is in the trail (inside the transaction that appended it). */
  remove(requestId: string, attemptNo: number): void {
    this.#delete ??= this.#db.prepare('DELETE FROM audit_pending WHERE request_id = ? AND attempt_no = ?');
    this.#delete.run(requestId, attemptNo);
  }

  /** Requests whose writer is gone (closed, crashed, killed) or that are older than any call may take, oldest first. */
  leftBehind(): SendingEntry[] {
    const rows = this.#db.prepare('SELECT * FROM audit_pending ORDER BY at, request_id, attempt_no').all() as Row[];
    const oldest = this.#options.now() - this.#options.maxAgeMs;
    return rows
      .filter((row) => row.owner !== this.#options.owner && (!this.#options.ownerAlive(row.owner) || !(Date.parse(row.at) > oldest)))
      .map((row) => ({
        at: row.at,
        requestId: row.request_id,
        attemptNo: row.attempt_no,
        task: row.task,
        providerId: row.provider_id,
        host: row.host,
        model: row.model,
        bytesSent: row.bytes_sent,
        promptSha256: row.prompt_sha256,
        redactions: parseCounts(row.redactions),
        reason: row.reason,
      }));
  }
}
