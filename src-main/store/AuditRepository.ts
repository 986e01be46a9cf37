import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import { ScrubbedReasons } from '../secrets/ScrubbedReasons.ts';
import { AuditPending, type AuditPendingOptions, type SendingEntry } from './AuditPending.ts';
import { canonicalCounts, parseCounts } from './auditCounts.ts';
import { readAuditHead, replaceAuditHead } from './auditHeadFile.ts';

/** One request that left the machine, as the audit trail records it (never the prompt itself: its hash). */
export interface AuditEntry {
  at: string;
  requestId: string;
  attemptNo: number;
  task: string;
  providerId: string;
  /** Where it went: the endpoint's host. */
  host: string;
  model: string;
  outcome: string;
  bytesSent: number;
  bytesReceived: number;
  promptSha256: string;
  /** What the privacy guard took out, by kind. */
  redactions: Record<string, number>;
  /** Why this target was chosen. */
  reason: string;
}

export interface AuditRow extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export type AuditVerdict = { ok: true; rows: number } | { ok: false; rows: number; seq: number; problem: string };

const genesis = '0'.repeat(64);

interface Row {
  seq: number;
  at: string;
  request_id: string;
  attempt_no: number;
  task: string;
  provider_id: string;
  host: string;
  model: string;
  outcome: string;
  bytes_sent: number;
  bytes_received: number;
  prompt_sha256: string;
  redactions: string;
  reason: string;
  prev_hash: string;
  hash: string;
}

/**
 * The hash of a row: its fields in a fixed order and the hash of the row before it. `redactions`
 * is the text as stored (canonicalCounts when written), so verify hashes what the table holds.
 */
function rowHash(seq: number, entry: Omit<AuditEntry, 'redactions'>, redactions: string, prevHash: string): string {
  const fields = [seq, entry.at, entry.requestId, entry.attemptNo, entry.task, entry.providerId, entry.host, entry.model, entry.outcome, entry.bytesSent, entry.bytesReceived, entry.promptSha256, redactions, entry.reason];
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

function fromRow(row: Row): AuditRow {
  return {
    seq: row.seq,
    at: row.at,
    requestId: row.request_id,
    attemptNo: row.attempt_no,
    task: row.task,
    providerId: row.provider_id,
    host: row.host,
    model: row.model,
    outcome: row.outcome,
    bytesSent: row.bytes_sent,
    bytesReceived: row.bytes_received,
    promptSha256: row.prompt_sha256,
    redactions: parseCounts(row.redactions),
    reason: row.reason,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function describe(row: Pick<AuditRow, 'seq' | 'at' | 'providerId' | 'host'>): string {
  return `row ${row.seq} (${row.at}, ${row.providerId} at ${row.host})`;
}

/**
 * The audit trail: append-only, each row chained to the one before by its hash, and the last
 * row's number and hash also kept outside the database (`headFile`), so `verify` finds an edited,
 * deleted or reordered row, and rows cut off the end, and names the row. Appends from several
 * processes (the app and the CLI) take the write lock first, so the chain never forks. Someone
 * who can rewrite both the database and the head file can rebuild the chain: the trail is
 * tamper-evident against changes to the database alone.
 */
export class AuditRepository {
  readonly #db: Database;
  readonly #headFile: string | undefined;
  #last: Statement | undefined;
  #insert: Statement | undefined;
  /** The head to write (within a second, off the call's path: one file write for a burst of rows). */
  #pendingHead: { seq: number; hash: string } | undefined;
  #headTimer: NodeJS.Timeout | undefined;
  /** The last row written in the transaction under way: the head once it commits (`committed`). */
  #written: { seq: number; hash: string } | undefined;
  /** Rows queued by `queue`, written by `writeQueued` (with a batch of attempts) or before any read. */
  readonly #queued: AuditEntry[] = [];
  /** Queued rows in the batch being written: queued again when it rolls back. */
  readonly #writing: AuditEntry[] = [];
  readonly #beforeRead: () => void;
  readonly #reasons = new ScrubbedReasons();

  /** Requests written ahead of being sent (`sending`); without `pending` options, none are. */
  readonly #sending: AuditPending | undefined;

  /**
   * `beforeRead` writes what is queued (the gateway: its batch of attempts, with these rows);
   * default: the queued rows alone. `pending`: who writes (a core's owner token) and how to tell
   * whether another writer is alive, for the rows written ahead (AuditPending).
   */
  constructor(db: Database, headFile?: string, options: { beforeRead?: () => void; pending?: AuditPendingOptions } = {}) {
    this.#db = db;
    this.#headFile = headFile;
    const writeQueued =
      options.beforeRead ??
      (() => {
        if (!this.hasQueued()) return;
        try {
          this.#db.transaction(() => this.writeQueued()).immediate();
        } catch (error) {
          this.rolledBack();
          throw error;
        }
        this.committed();
      });
    this.#sending = options.pending ? new AuditPending(db, options.pending) : undefined;
    this.#beforeRead = () => {
      writeQueued();
      this.#adoptLeftBehind();
    };
    // A trail that starts here gets its head at once (no rows yet), so a head file missing while rows exist is named by verify.
    if (headFile !== undefined && !existsSync(headFile) && db.prepare('SELECT 1 FROM audit_log LIMIT 1').get() === undefined) {
      this.#pendingHead = { seq: 0, hash: genesis };
      this.flush();
    }
    try {
      this.#adoptLeftBehind();
    } catch {
      // A busy or read-only database at start: the next read of the trail takes them.
    }
  }

  /**
   * A request is about to leave (before anything is sent): its row is written ahead, committed,
   * so that a process killed before the attempt ends still leaves its row; the row queued when it
   * ends replaces it. `entry.reason` is scrubbed of keys as it is written.
   */
  sending(entry: SendingEntry): void {
    this.#sending?.add({ ...entry, reason: this.#reasons.scrub(entry.reason) });
  }

  /**
   * Requests written ahead by a writer that is gone (closed, crashed, killed) whose attempt never
   * ended there: each is appended as `interrupted` (what came back is unknown: 0 bytes), under
   * the write lock, read again inside it so that two processes never append one twice.
   */
  #adoptLeftBehind(): void {
    const pending = this.#sending;
    if (!pending || pending.leftBehind().length === 0) return;
    try {
      this.#db
        .transaction(() => {
          for (const entry of pending.leftBehind()) {
            this.#appendNow({ ...entry, outcome: 'interrupted', bytesReceived: 0 });
            pending.remove(entry.requestId, entry.attemptNo);
          }
        })
        .immediate();
      this.committed();
    } catch (error) {
      this.rolledBack();
      throw error;
    }
  }

  /** Appends one row now (its own IMMEDIATE transaction). */
  append(entry: AuditEntry): AuditRow {
    try {
      const row = this.#db.transaction((): AuditRow => this.#appendNow(entry)).immediate();
      this.committed();
      return row;
    } catch (error) {
      this.rolledBack();
      throw error;
    }
  }

  /**
   * Queues a row, written with the gateway's next batch of attempts (within 100 ms, one
   * transaction for both): a request's row and its attempt commit together. `entry.reason` is
   * scrubbed of keys as it is written.
   */
  queue(entry: AuditEntry): void {
    this.#queued.push(entry);
  }

  hasQueued(): boolean {
    return this.#queued.length > 0;
  }

  /**
   * Writes the queued rows; the caller holds the write lock (an IMMEDIATE transaction), so the
   * chain cannot fork, and says afterwards whether it committed (`committed`, `rolledBack`).
   */
  writeQueued(): void {
    const entries = this.#queued.splice(0);
    this.#writing.push(...entries);
    for (const entry of entries) {
      this.#appendNow({ ...entry, reason: this.#reasons.scrub(entry.reason) });
      this.#sending?.remove(entry.requestId, entry.attemptNo);
    }
  }

  /**
   * The rows just written were committed: the head file will name the last of them. Only then:
   * a batch rolled back (a full disk, a busy database) leaves no rows, and a head naming one
   * would later read as rows deleted.
   */
  committed(): void {
    this.#writing.length = 0;
    const written = this.#written;
    this.#written = undefined;
    if (written) this.#writeHead(written.seq, written.hash);
  }

  /** The rows just written were rolled back: the head stays at the last committed row. */
  rolledBack(): void {
    this.#queued.unshift(...this.#writing.splice(0));
    this.#written = undefined;
  }

  #appendNow(entry: AuditEntry): AuditRow {
    {
      this.#last ??= this.#db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      const last = this.#last.get() as { seq: number; hash: string } | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? genesis;
      const redactions = canonicalCounts(entry.redactions);
      const hash = rowHash(seq, entry, redactions, prevHash);
      this.#insert ??= this.#db.prepare(
        `INSERT INTO audit_log (seq, at, request_id, attempt_no, task, provider_id, host, model, outcome, bytes_sent, bytes_received, prompt_sha256, redactions, reason, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      this.#insert.run(seq, entry.at, entry.requestId, entry.attemptNo, entry.task, entry.providerId, entry.host, entry.model, entry.outcome, entry.bytesSent, entry.bytesReceived, entry.promptSha256, redactions, entry.reason, prevHash, hash);
      this.#written = { seq, hash };
      return { ...entry, seq, prevHash, hash };
    }
  }

  /** The newest rows first. */
  list(limit = 100): AuditRow[] {
    this.#beforeRead();
    return (this.#db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?').all(Math.max(1, Math.min(limit, 100_000))) as Row[]).map(fromRow);
  }

  /** The rows of one generation run's requests (attempts.run_id), oldest first: exported with the run. */
  forRun(runId: string): AuditRow[] {
    this.#beforeRead();
    return (this.#db.prepare('SELECT * FROM audit_log WHERE request_id IN (SELECT request_id FROM attempts WHERE run_id = ?) ORDER BY seq').all(runId) as Row[]).map(fromRow);
  }

  /** Every row, oldest first (an export). */
  *all(): Generator<AuditRow> {
    this.#beforeRead();
    for (const row of this.#db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<Row>) yield fromRow(row);
  }

  /**
   * Walks the chain from the first row; the first break is named. Then the head file: rows past
   * the end it names were cut off; the row at its number must be the one it names (a head behind
   * the rows is a process killed within a second of its last rows, never a different row); a head
   * file deleted or changed while rows exist is named too.
   */
  verify(): AuditVerdict {
    this.#beforeRead();
    if (this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get() === undefined) {
      const had = this.#pendingHead ?? readAuditHead(this.#headFile);
      const seq = 'seq' in had ? had.seq : undefined;
      return { ok: false, rows: 0, seq: 1, problem: `the audit trail's table was deleted from the database${seq ? ` (the trail had ${seq} row${seq === 1 ? '' : 's'})` : ''}` };
    }
    this.flush();
    const head = readAuditHead(this.#headFile);
    let previous: Row | undefined;
    let rows = 0;
    let hashAtHead = head.kind === 'ok' && head.seq === 0 ? genesis : undefined;
    for (const row of this.#db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as Iterable<Row>) {
      rows += 1;
      const expectedSeq = (previous?.seq ?? 0) + 1;
      const named = describe({ seq: row.seq, at: row.at, providerId: row.provider_id, host: row.host });
      if (row.seq < expectedSeq) {
        // Only the first row can be numbered below the next expected one (seq orders the walk).
        return { ok: false, rows, seq: row.seq, problem: `${named} comes before row 1, where the trail starts: it was added` };
      }
      if (row.seq !== expectedSeq) {
        const gap = row.seq - expectedSeq > 1 ? `rows ${expectedSeq} to ${row.seq - 1} were` : `row ${expectedSeq} was`;
        return { ok: false, rows, seq: row.seq, problem: `${named} follows row ${previous?.seq ?? 0}: ${gap} deleted` };
      }
      if (row.prev_hash !== (previous?.hash ?? genesis)) {
        return { ok: false, rows, seq: row.seq, problem: `${named} does not follow the row before it: it was moved, or the row before it was changed` };
      }
      if (rowHash(row.seq, fromRow(row), row.redactions, row.prev_hash) !== row.hash) {
        return { ok: false, rows, seq: row.seq, problem: `${named} was changed after it was written` };
      }
      if (head.kind === 'ok' && row.seq === head.seq) hashAtHead = row.hash;
      previous = row;
    }
    if (head.kind === 'none') return { ok: true, rows };
    const last = previous === undefined ? undefined : { seq: previous.seq, at: previous.at, providerId: previous.provider_id, host: previous.host };
    if (head.kind === 'missing') {
      return last ? { ok: false, rows, seq: last.seq, problem: `the head file kept beside the database (${basename(this.#headFile ?? '')}) was deleted, so rows cut off after ${describe(last)} cannot be ruled out` } : { ok: true, rows };
    }
    if (head.kind === 'unreadable') {
      return { ok: false, rows, seq: last?.seq ?? 1, problem: `the head file kept beside the database (${basename(this.#headFile ?? '')}) was changed: it no longer names the last row written${last ? `, so rows cut off after ${describe(last)} cannot be ruled out` : ''}` };
    }
    if (last === undefined) return head.seq > 0 ? { ok: false, rows, seq: 1, problem: `every row was deleted (the trail had ${head.seq})` } : { ok: true, rows };
    if (head.seq > last.seq) {
      const cut = head.seq - last.seq === 1 ? `the last row (row ${head.seq}) was deleted` : `the last ${head.seq - last.seq} rows were deleted`;
      return { ok: false, rows, seq: last.seq + 1, problem: `${cut}: the trail ends at row ${last.seq}, it had ${head.seq}` };
    }
    if (hashAtHead !== head.hash) {
      return head.seq === last.seq
        ? { ok: false, rows, seq: last.seq, problem: `${describe(last)} is not the row that was written last: the trail was rewritten` }
        : { ok: false, rows, seq: head.seq, problem: `row ${head.seq} is not the row that was written there: the trail was rewritten from there on` };
    }
    return { ok: true, rows };
  }

  #writeHead(seq: number, hash: string): void {
    if (this.#headFile === undefined) return;
    this.#pendingHead = { seq, hash };
    if (this.#headTimer) return;
    this.#headTimer = setTimeout(() => this.flush(), 1_000);
    this.#headTimer.unref();
  }

  /**
   * Writes the head file now (the gateway does on close; `verify` reads it after). A process
   * killed within a second of its last rows leaves a head that lags them, which verify accepts:
   * it reports a head past the trail's end (rows deleted), never one behind it.
   */
  flush(): void {
    clearTimeout(this.#headTimer);
    this.#headTimer = undefined;
    const head = this.#pendingHead;
    const file = this.#headFile;
    if (file === undefined || head === undefined) return;
    this.#pendingHead = undefined;
    const stillThere = (seq: number, hash: string): boolean => this.#db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq) === hash;
    // Under SQLite's write lock (an empty IMMEDIATE transaction), which every process's appends
    // take too: two processes reading the head and replacing it at once would each find it behind
    // their own row, and the later rename could put back a head before the other's rows. When the
    // lock cannot be had (the database closed, read-only, or held past the busy timeout) the head
    // is written without it, as it must still be.
    let locked = false;
    try {
      try {
        this.#db
          .transaction(() => {
            locked = true;
            replaceAuditHead(file, head, stillThere);
          })
          .immediate();
        return;
      } catch (error) {
        if (locked) throw error;
      }
      replaceAuditHead(file, head);
    } catch {
      // The head file cannot be written now (a full disk, a folder or a read-only file at its
      // name): never thrown out of the timer (the process would end) nor into a call; the head is
      // kept for the next row, verify or close, and verify names the head file meanwhile.
      this.#pendingHead = head;
    }
  }
}
