import { closeSync, openSync, readSync } from 'node:fs';
import type { Database, Statement } from 'better-sqlite3';

/**
 * What tells a connection that the configuration may have changed since it last looked: the
 * generation in `config_generation`, moved by triggers on every write to the tables the cached
 * configuration is read from (migration 0009: settings, providers, routing, prices, projects,
 * budgets), whichever connection or process wrote. Writes of what calls record (attempts, the
 * cache, budgets' ledger, rate windows, the audit trail) leave it alone, so a model call that
 * writes does not make the next one parse the configuration again. Reading it opens a read
 * transaction (about 3 µs in WAL mode), so `readAtOnce` lets a block of reads share one.
 */
class ChangeWatch {
  readonly #generation: Statement;
  readonly #totalChanges: Statement;
  readonly #wal: WalHeader;
  /** The last generation read, and whether the WAL index header has not moved since (then no transaction has committed). */
  #lastRead: number | undefined;
  /** Set while a readAtOnce block runs: its reading, and this connection's change count then (undefined: a block that does not write). */
  #pinned: { generation: number; changes: number | undefined } | undefined;

  constructor(db: Database) {
    this.#generation = db.prepare('SELECT n FROM config_generation WHERE id = 1').pluck();
    this.#totalChanges = db.prepare('SELECT total_changes()').pluck();
    this.#wal = new WalHeader(db);
  }

  /**
   * The generation now. When the WAL index header is as it was at the last read, no transaction
   * of any connection or process has committed since, so that read still holds: one read of 48
   * bytes instead of a read transaction, whose code and pages a model call's network work has
   * pushed out of the CPU's caches (about 15 µs then, against 3 µs in a loop).
   */
  #read(): number {
    if (this.#lastRead !== undefined && this.#wal.unchanged()) return this.#lastRead;
    this.#lastRead = Number(this.#generation.get());
    return this.#lastRead;
  }

  /** The generation last read when no transaction has committed, on any connection, since; else undefined. */
  unchangedSinceRead(): number | undefined {
    if (this.#lastRead === undefined) return undefined;
    if (this.#wal.unchanged()) return this.#lastRead;
    // The header moved (and is now remembered as it is): the next look reads the generation.
    this.#lastRead = undefined;
    return undefined;
  }

  close(): void {
    this.#wal.close();
  }

  generation(): number {
    const pinned = this.#pinned;
    if (pinned === undefined) return this.#read();
    if (pinned.changes === undefined) return pinned.generation;
    // A write on this connection inside the block (0.4 µs to ask): look again, so it is seen.
    const changes = Number(this.#totalChanges.get());
    if (changes !== pinned.changes) this.#pinned = { generation: this.#read(), changes };
    return this.#pinned?.generation ?? pinned.generation;
  }

  pin<T>(read: () => T, writes = true): T {
    if (this.#pinned !== undefined) return read();
    this.#pinned = { generation: this.#read(), changes: writes ? Number(this.#totalChanges.get()) : undefined };
    try {
      return read();
    } finally {
      this.#pinned = undefined;
    }
  }
}

/**
 * The first copy of SQLite's WAL index header, read from the `-shm` file (its layout: sqlite.org
 * walformat.html, "the wal-index header"): every commit, by any connection or process, changes it
 * (its change counter, frame count, checksums; a WAL restart its salts). `unchanged` reads it and
 * says whether it is byte for byte what the previous call read; it is read before the generation,
 * so a commit in between shows as a change next time. Not in WAL mode, or the file cannot be read:
 * never unchanged (the generation is read every time, as without this).
 */
class WalHeader {
  readonly #db: Database;
  #fd: number | null | undefined;
  /** The header as read now and as read the time before, as 32-bit words (compared in JS: Buffer.equals is a call into C++). */
  readonly #nowWords = new Uint32Array(12);
  readonly #beforeWords = new Uint32Array(12);
  readonly #now = Buffer.from(this.#nowWords.buffer);
  #known = false;

  constructor(db: Database) {
    this.#db = db;
  }

  unchanged(): boolean {
    const fd = this.#open();
    if (fd === null) return false;
    let read: number;
    try {
      read = readSync(fd, this.#now, 0, 48, 0);
    } catch {
      this.#close();
      return false;
    }
    if (read !== 48) return false;
    const now = this.#nowWords;
    const before = this.#beforeWords;
    let same = this.#known;
    for (let i = 0; same && i < 12; i++) same = now[i] === before[i];
    if (same) return true;
    // A closed connection's header is looked at no more (asked only here: it costs a call into the connection).
    if (!this.#db.open) {
      this.#close();
      return false;
    }
    before.set(now);
    this.#known = true;
    return false;
  }

  close(): void {
    this.#close();
  }

  #open(): number | null {
    if (this.#fd !== undefined) return this.#fd;
    this.#fd = null;
    if (this.#db.memory || !this.#db.open) return null;
    try {
      if (String(this.#db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return null;
      // The header exists once a read has mapped the index; the caller reads the generation next anyway.
      this.#fd = openSync(`${this.#db.name}-shm`, 'r');
      walFiles.register(this, this.#fd, this);
    } catch {
      this.#fd = null;
    }
    return this.#fd;
  }

  #close(): void {
    if (typeof this.#fd === 'number') {
      walFiles.unregister(this);
      closeSync(this.#fd);
    }
    this.#fd = null;
  }
}

/** Closes the `-shm` file of a watch that is collected with its connection. */
const walFiles = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

const watches = new WeakMap<Database, ChangeWatch>();

function watchOf(db: Database): ChangeWatch {
  let watch = watches.get(db);
  if (!watch) {
    watch = new ChangeWatch(db);
    watches.set(db, watch);
    // The watch ends with its connection, so a closed one is never answered from the header (which
    // is not asked whether the connection is open: that costs a call into it on every look) and
    // no -shm file stays open after it.
    const close = db.close;
    db.close = function closeAndForget(this: Database): Database {
      forgetChangeWatch(db);
      return close.call(this);
    };
  }
  return watch;
}

/**
 * `load` (a read of configuration tables, parsed), run again only when the configuration may
 * have changed since its last result: a write to one of its tables through any connection or
 * process (ChangeWatch). Otherwise the last result is returned as it is, so `load` must return a
 * value its callers do not mutate (the repositories freeze theirs), and must read only the
 * tables migration 0009 watches (`configTables`). A `load` that throws leaves nothing cached.
 * Inside a transaction nothing is cached: a rollback would take back what `load` saw.
 */
export function cacheUntilChange<T>(db: Database, load: () => T): () => T {
  let cached: { value: T; generation: number } | undefined;
  return () => {
    if (db.inTransaction) return load();
    const generation = watchOf(db).generation();
    if (cached && cached.generation === generation) return cached.value;
    const value = load();
    cached = { value, generation };
    return value;
  };
}

/**
 * cacheUntilChange for a table read: when the configuration may have changed, `rows()` (a
 * prepared statement's `raw().all()`) is read again, but `parse` runs only when the rows differ
 * from last time (a write to another configuration table costs a read, not a parse).
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
 * The configuration generation this connection last read, when nothing has committed to the
 * database through any connection or process since (SQLite's WAL index header is as it was then);
 * undefined when something may have, or when it cannot tell (no WAL). A caller that read its
 * configuration at this same generation may go on using it. Only commits count: a write of an
 * open transaction on this connection is not looked for (a model call's configuration is read
 * outside any transaction; asking the connection whether one is open costs as much as the rest).
 */
export function generationUnchangedSinceLastLook(db: Database): number | undefined {
  return watchOf(db).unchangedSinceRead();
}

/** Stops watching `db` and closes the `-shm` file the watch reads (done by `db.close()` once watched). */
function forgetChangeWatch(db: Database): void {
  watches.get(db)?.close();
  watches.delete(db);
}

/** The configuration generation now (inside readAtOnce: as of that block's one look). */
export function configGeneration(db: Database): number {
  return watchOf(db).generation();
}

/**
 * Runs `read` (synchronous reads of cached values) with one look at the configuration's
 * generation for all of them: the values it reads are as of one moment, as a model call needs
 * them. A write on this connection inside the block is still seen by the reads after it.
 */
export function readAtOnce<T>(db: Database, read: () => T): T {
  return watchOf(db).pin(read);
}

/**
 * readAtOnce for a block that only reads (a model call's configuration): the one look at the
 * generation is trusted for the whole block, without asking whether this connection wrote
 * meanwhile. A write inside it would not be seen by the reads after it.
 */
export function readOnlyAtOnce<T>(db: Database, read: () => T): T {
  return watchOf(db).pin(read, false);
}

/** Freezes a parsed value (plain objects and arrays) all the way down, so a cached one cannot be changed by a caller. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
