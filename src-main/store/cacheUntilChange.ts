import type { Database, Statement } from 'better-sqlite3';

/**
 * What tells a connection that the database may have changed since it last looked:
 * - `PRAGMA data_version` moves when ANY OTHER connection commits (another process: the CLI on
 *   the same file, a second window), but never for this connection's own writes;
 * - `total_changes()` counts every row this connection inserted, updated or deleted (a rolled-back
 *   write counts too, which only costs a needless reload).
 * total_changes() is nearly free (no transaction: 0.4 µs); data_version opens a read transaction
 * (about 3 µs in WAL mode: a lock on the shared memory), so `readAtOnce` lets a block of reads
 * share one.
 */
class ChangeWatch {
  readonly #dataVersion: Statement;
  readonly #totalChanges: Statement;
  /** Set while a readAtOnce block runs: its one data_version. */
  #pinned: number | undefined;

  constructor(db: Database) {
    this.#dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.#totalChanges = db.prepare('SELECT total_changes()').pluck();
  }

  dataVersion(): number {
    return this.#pinned ?? Number(this.#dataVersion.get());
  }

  totalChanges(): number {
    return Number(this.#totalChanges.get());
  }

  pin<T>(read: () => T): T {
    if (this.#pinned !== undefined) return read();
    this.#pinned = Number(this.#dataVersion.get());
    try {
      return read();
    } finally {
      this.#pinned = undefined;
    }
  }
}

const watches = new WeakMap<Database, ChangeWatch>();

function watchOf(db: Database): ChangeWatch {
  let watch = watches.get(db);
  if (!watch) {
    watch = new ChangeWatch(db);
    watches.set(db, watch);
  }
  return watch;
}

/**
 * `load` (a read of some tables, parsed), run again only when the database may have changed
 * since its last result: a write through this connection (any table, any repository) or a
 * commit by another connection or process. Otherwise the last result is returned as it is, so
 * `load` must return a value its callers do not mutate (the repositories freeze theirs). A
 * `load` that throws leaves nothing cached. Inside a transaction nothing is cached: a rollback
 * would take back what `load` saw without moving either counter.
 */
export function cacheUntilChange<T>(db: Database, load: () => T): () => T {
  let cached: { value: T; version: number; changes: number } | undefined;
  return () => {
    if (db.inTransaction) return load();
    const watch = watchOf(db);
    const version = watch.dataVersion();
    const changes = watch.totalChanges();
    if (cached && cached.version === version && cached.changes === changes) return cached.value;
    const value = load();
    cached = { value, version, changes };
    return value;
  };
}

/**
 * cacheUntilChange for a table read: when the database may have changed, `rows()` (a prepared
 * statement's `raw().all()`) is read again, but `parse` runs only when the rows differ from last
 * time. Any write on the connection moves total_changes() (the attempts written every 100 ms
 * too), so this keeps those from costing a parse of every configuration.
 */
export function cacheRowsUntilChange<T>(db: Database, rows: () => unknown[][], parse: (rows: unknown[][]) => T): () => T {
  let last: { rows: unknown[][]; value: T } | undefined;
  return cacheUntilChange(db, () => {
    const current = rows();
    if (last && sameRows(last.rows, current)) return last.value;
    const value = parse(current);
    last = { rows: current, value };
    return value;
  });
}

function sameRows(a: unknown[][], b: unknown[][]): boolean {
  return a.length === b.length && a.every((row, i) => row.length === b[i]?.length && row.every((cell, j) => cell === b[i]?.[j]));
}

/**
 * Runs `read` (synchronous reads of cached values, nothing else) with one look at data_version
 * for all of them: the values it reads are as of one moment, as a model call needs them. Writes
 * on this connection are still seen by every read inside (total_changes() is read each time).
 */
export function readAtOnce<T>(db: Database, read: () => T): T {
  return watchOf(db).pin(read);
}

/** Freezes a parsed value (plain objects and arrays) all the way down, so a cached one cannot be changed by a caller. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
