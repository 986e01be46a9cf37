import type { Database, Statement } from 'better-sqlite3';
import type { AuditEntry } from './AuditRepository.ts';
import { canonicalCounts, parseCounts } from './auditCounts.ts';
import { hostClock, type HostClock } from './hostClock.ts';

export type { HostClock } from './hostClock.ts';

/** A request on its way out: its audit row without what only its end can say. */
export type SendingEntry = Omit<AuditEntry, 'outcome' | 'bytesReceived'>;

export interface AuditPendingOptions {
  /** Who writes here (a core: ProcessOwner's token); its rows are never taken as left behind while it is alive. */
  owner: string;
  /** Whether the owner of a row may still be working (its core open, or its process alive). */
  ownerAlive: (owner: string) => boolean;
  /** The wall clock: a row of another machine (or from before this one restarted) is aged by it against the row's time. */
  now?: () => number;
  /** This machine's monotonic clock (default hostClock): a row this machine wrote since it started is aged by it, whatever the wall clock did since. */
  clock?: HostClock;
  /** A row older than this is left behind whoever wrote it (another machine's process sharing the folder, a writer whose process id is in use again): longer than any call may take. Default 2 h. */
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
  clock_id: string | null;
  clock_ms: number | null;
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
    this.#options = { now: Date.now, clock: hostClock, maxAgeMs: 2 * 60 * 60 * 1000, ...options };
  }

  /** Before the request is sent: committed at once (its own transaction unless the caller holds one). */
  add(entry: SendingEntry): void {
    this.#insert ??= this.#db.prepare(
      `INSERT OR REPLACE INTO audit_pending (request_id, attempt_no, owner, at, task, provider_id, host, model, bytes_sent, prompt_sha256, redactions, reason, clock_id, clock_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const { clock } = this.#options;
    this.#insert.run(entry.requestId, entry.attemptNo, this.#options.owner, entry.at, entry.task, entry.providerId, entry.host, entry.model, entry.bytesSent, entry.promptSha256, canonicalCounts(entry.redactions), entry.reason, clock.id, clock.now());
  }

  /** Its row is in the trail (inside the transaction that appended it). */
  remove(requestId: string, attemptNo: number): void {
    this.#delete ??= this.#db.prepare('DELETE FROM audit_pending WHERE request_id = ? AND attempt_no = ?');
    this.#delete.run(requestId, attemptNo);
  }

  /**
   * Requests whose writer is gone (closed, crashed, killed) or that are older than any call may
   * take, oldest first. A row's age is read on this machine's monotonic clock when this machine
   * wrote it since it started: a wall clock moved forward since (a machine woken from sleep, a
   * clock corrected) never makes a live call's request look left behind, nor one set back keep an
   * old one waiting for as long as it went back. Else (another machine, a restart, a row written
   * before the clock was kept) by the wall clock: the reader's time against the row's.
   */
  leftBehind(): SendingEntry[] {
    const rows = this.#db.prepare('SELECT * FROM audit_pending ORDER BY at, request_id, attempt_no').all() as Row[];
    const { clock, maxAgeMs, owner, ownerAlive } = this.#options;
    let wallNow: number | undefined;
    let clockNow: number | undefined;
    const old = (row: Row): boolean => {
      if (row.clock_id === clock.id && row.clock_ms !== null) {
        clockNow ??= clock.now();
        if (row.clock_ms <= clockNow) return clockNow - row.clock_ms >= maxAgeMs;
      }
      wallNow ??= this.#options.now();
      return !(Date.parse(row.at) > wallNow - maxAgeMs);
    };
    return rows
      .filter((row) => row.owner !== owner && (!ownerAlive(row.owner) || old(row)))
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
