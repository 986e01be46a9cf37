import type { Database, Statement } from 'better-sqlite3';
import type { CacheStats } from '../../src-shared/domain/budget.ts';
import type { CachedAnswer, CachePut } from './cachedAnswer.ts';
import { readCacheStats } from './readCacheStats.ts';
export type { CachedAnswer, CachePut } from './cachedAnswer.ts';

/** How many answers each process keeps in memory in front of SQLite, and the largest it keeps there. */
const frontEntries = 256;
const frontEntryMaxBytes = 256 * 1024;

/**
 * The response cache: answers kept by the hash of what was asked (responseCacheKey), in SQLite so
 * every process shares it. A hit refreshes the entry's last use; `put` evicts the least recently
 * used entries while the total passes `maxBytes`. Expired entries never answer and are removed
 * on the way. Statistics (hits, misses, stores, evictions) are counted in the database too (within
 * half a second), so `cache stats` from the CLI sees the app's.
 */
export class ResponseCacheRepository {
  readonly #db: Database;
  readonly #now: () => number;
  #select: Statement | undefined;
  #touch: Statement | undefined;
  #pending = { hits: 0, misses: 0, stores: 0, evictions: 0 };
  /** When the first of the counts not yet written was counted (undefined: none), and the configuration generation this process had seen then. */
  #pendingSince: number | undefined;
  #pendingGeneration = -1;
  #timer: NodeJS.Timeout | undefined;
  /** The write asked for is the one within 100 ms (answers queued), not the half-second one of counts. */
  #timerSoon = false;
  /** Last use of entries that answered, written with the counts (a hit writes nothing on the call's path). */
  readonly #touches = new Map<string, { at: number; hits: number }>();
  /**
   * Answers this process read or kept recently, most recently used last: a hit on one of them
   * reads nothing from SQLite. Dropped when the configuration generation moves (`get`).
   */
  readonly #front = new Map<string, { answer: CachedAnswer; createdAt: number; expiresAt: number }>();
  #frontGeneration = -1;
  /** Answers kept but not yet written, and what the cache holds in bytes (counted again every 30 s or after another process wrote). */
  readonly #puts: { entry: CachePut; bytes: number; at: number; generation: number }[] = [];
  #upsert: Statement | undefined;
  #maxBytes = Number.POSITIVE_INFINITY;
  /** The cap was lowered: the next write counts what the cache holds and evicts past it. */
  #trim = false;
  #bytes: number | undefined;
  #bytesAt = 0;
  #lastExpiry = 0;
  /** Entries to remove with the next write, never on a call's path (another process may hold the write lock): key, and the creation time of the expired one seen (undefined: whatever it holds). */
  readonly #removals = new Map<string, number | undefined>();

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /**
   * The answer kept for this key when it has not expired (a hit), else undefined (a miss).
   * `generation` is the configuration generation the call read (cacheUntilChange): `clear`, from
   * any process, moves it, and the memory in front is dropped when it moved. (Another process
   * replacing or evicting an entry leaves this one's copy a valid answer until it expires.)
   * `ttlMs`: how long answers are kept now; one kept longer ago does not answer, though it was
   * kept when a longer time was set (the user shortened it).
   */
  get(key: string, generation: number, ttlMs = Number.POSITIVE_INFINITY): CachedAnswer | undefined {
    const now = this.#now();
    if (generation !== this.#frontGeneration) {
      this.#front.clear();
      this.#frontGeneration = generation;
      this.#bytes = undefined;
      // A clear in another process (it moves the generation) empties what is queued here too, and its statistics start without what was counted here before it.
      this.#dropClearedPuts(generation);
      this.#dropCountsBeforeClear(generation);
    }
    // An answer kept after now was kept before the clock was set back: how old it is cannot be
    // told, so it does not answer (else it would for as long as the clock went back, past its TTL).
    const front = this.#front.get(key);
    if (front && front.createdAt <= now && Math.min(front.expiresAt, front.createdAt + ttlMs) > now) {
      this.#front.delete(key);
      this.#front.set(key, front);
      this.#touched(key, now);
      return front.answer;
    }
    // Kept moments ago and not written yet (an answer too large for the memory in front).
    const queued = this.#puts.findLast((put) => put.entry.key === key);
    if (queued && queued.at <= now && queued.at + Math.min(queued.entry.ttlMs, ttlMs) > now) {
      this.#touched(key, now);
      return { text: queued.entry.text, inputTokens: queued.entry.inputTokens, outputTokens: queued.entry.outputTokens };
    }
    this.#select ??= this.#db.prepare('SELECT answer, input_tokens, output_tokens, bytes, created_at_ms, expires_at_ms FROM response_cache WHERE key = ?');
    const row = this.#select.get(key) as { answer: string; input_tokens: number; output_tokens: number; bytes: number; created_at_ms: number; expires_at_ms: number } | undefined;
    // A row queued for removal (one too large to keep replaced it, or it expired) is not there, unless another process replaced it since.
    const removing = row !== undefined && this.#removals.has(key) && (this.#removals.get(key) ?? row.created_at_ms) === row.created_at_ms;
    if (row === undefined || removing || row.created_at_ms > now || Math.min(row.expires_at_ms, row.created_at_ms + ttlMs) <= now) {
      if (row && !this.#removals.has(key)) this.#removals.set(key, row.created_at_ms);
      this.#counted('misses', 1);
      return undefined;
    }
    const answer = { text: row.answer, inputTokens: row.input_tokens, outputTokens: row.output_tokens };
    if (row.bytes <= frontEntryMaxBytes) this.#remember(key, answer, row.created_at_ms, row.expires_at_ms);
    this.#touched(key, now);
    return answer;
  }

  #touched(key: string, now: number): void {
    const touch = this.#touches.get(key);
    // Counted in place: a hit makes no object unless it is the key's first since the last write.
    if (touch) {
      touch.at = now;
      touch.hits += 1;
    } else this.#touches.set(key, { at: now, hits: 1 });
    this.#counted('hits', 1);
  }

  #remember(key: string, answer: CachedAnswer, createdAt: number, expiresAt: number): void {
    this.#front.set(key, { answer, createdAt, expiresAt });
    if (this.#front.size > frontEntries) this.#front.delete(this.#front.keys().next().value as string);
  }

  /**
   * Keeps an answer: at once in this process's memory (the next identical call hits), and in
   * SQLite with the next write of queued entries (within 100 ms, off the call's path), after
   * which the least recently used entries go while the cache holds more than `maxBytes`.
   * `generation`: the configuration generation the call read; an answer kept in the same
   * millisecond as a clear is dropped by it unless it was asked for after the clear
   * (#dropClearedPuts).
   */
  put(entry: CachePut, maxBytes: number, generation = -1): void {
    const now = this.#now();
    const bytes = Buffer.byteLength(entry.text, 'utf8') + entry.key.length;
    // Too large to keep, or a text SQLite would give back changed (a lone surrogate becomes U+FFFD): the answer kept before
    // for this request goes too (a regenerate's older answer must not come back).
    if (bytes > maxBytes || /\p{Cs}/u.test(entry.text)) {
      this.#forget(entry.key);
      return;
    }
    if (bytes <= frontEntryMaxBytes) this.#remember(entry.key, { text: entry.text, inputTokens: entry.inputTokens, outputTokens: entry.outputTokens }, now, now + entry.ttlMs);
    this.#puts.push({ entry, bytes, at: now, generation });
    this.#maxBytes = maxBytes;
    // Written within 100 ms, also when a lookup's count asked for a write in half a second.
    if (this.#timer && !this.#timerSoon) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#counted('stores', 1);
  }

  /** Drops what is kept for `key`: in memory and queued at once, written with the next write (within 100 ms). */
  #forget(key: string): void {
    this.#front.delete(key);
    this.#touches.delete(key);
    const kept = this.#puts.filter((put) => put.entry.key !== key);
    this.#puts.splice(0, this.#puts.length, ...kept);
    this.#removals.set(key, undefined);
    if (this.#timer && this.#timerSoon) return;
    clearTimeout(this.#timer);
    this.#timerSoon = true;
    this.#timer = setTimeout(() => this.#flushOffTheCall(), 100);
    this.#timer.unref();
  }

  /** Removes the entries queued for removal (before queued answers are written: one kept since for the same key stays); an expired one only if it was not replaced meanwhile. */
  #writeRemovals(removals: [string, number | undefined][]): void {
    const remove = this.#db.prepare('DELETE FROM response_cache WHERE key = ? AND created_at_ms = COALESCE(?, created_at_ms) RETURNING bytes').pluck();
    for (const [key, createdAt] of removals) {
      const removed = remove.get(key, createdAt ?? null) as number | undefined;
      if (removed !== undefined && this.#bytes !== undefined) this.#bytes -= removed;
    }
  }

  /** When the cache was last cleared (or first counted), in ms; 0 when never, or when the row says no time (edited by hand: NaN would drop every answer kept). */
  #clearedAt(): number {
    const since = this.#db.prepare('SELECT since FROM cache_stats WHERE id = 1').pluck().get() as string | undefined;
    const at = since === undefined ? Number.NaN : Date.parse(since);
    return Number.isFinite(at) ? at : 0;
  }

  /**
   * Forgets answers kept before the cache was last cleared, by any process: they must not come
   * back. An answer whose call read the configuration generation there is now (`generation`: a
   * clear moves it) was kept after any clear, whatever the clock says (it may have been set back
   * since the clear, or since the statistics began, which that time also is). Else the times
   * decide, and the clear's has whole milliseconds: an answer kept in the same one goes too. A
   * call asks in about half a millisecond, so that tie happens.
   */
  #dropClearedPuts(generation: number): void {
    if (this.#puts.length === 0) return;
    const clearedAt = this.#clearedAt();
    const kept = this.#puts.filter((put) => put.generation >= generation || put.at > clearedAt);
    this.#puts.splice(0, this.#puts.length, ...kept);
  }

  /** The configuration generation in the database now. */
  #generationNow(): number {
    return this.#db.prepare('SELECT n FROM config_generation WHERE id = 1').pluck().get() as number;
  }

  /** Writes queued answers. */
  #writePuts(): void {
    this.#dropClearedPuts(this.#generationNow());
    const puts = this.#puts.splice(0);
    this.#upsert ??= this.#db.prepare(
      `INSERT INTO response_cache (key, provider_id, model, prompt_version, answer, input_tokens, output_tokens, bytes, created_at_ms, expires_at_ms, used_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET answer = excluded.answer, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
         bytes = excluded.bytes, created_at_ms = excluded.created_at_ms, expires_at_ms = excluded.expires_at_ms, used_at_ms = excluded.used_at_ms`,
    );
    const now = this.#now();
    // 30 s either way: a clock set back must not keep the count from other processes' answers until it passes the last count again.
    if (this.#bytes === undefined || Math.abs(now - this.#bytesAt) > 30_000) {
      this.#bytes = this.#db.prepare('SELECT COALESCE(SUM(bytes), 0) FROM response_cache').pluck().get() as number;
      this.#bytesAt = now;
    }
    for (const { entry, bytes, at } of puts) {
      this.#upsert.run(entry.key, entry.providerId, entry.model, entry.promptVersion ?? null, entry.text, entry.inputTokens, entry.outputTokens, bytes, at, at + entry.ttlMs, at);
      this.#bytes += bytes;
    }
  }

  /**
   * The size cap as set now. A smaller one than this process knew holds for the answers already
   * kept: the least recently used past it go with the next write (at once with `now`), so
   * lowering the cap in Settings or with `cache on --max-mb` shrinks the cache without waiting
   * for a new answer to be kept.
   */
  limit(maxBytes: number, now = false): void {
    const smaller = maxBytes < this.#maxBytes;
    this.#maxBytes = maxBytes;
    if (!smaller && !now) return;
    this.#trim = true;
    if (now) this.flush();
    else if (!this.#timer) {
      this.#timerSoon = true;
      this.#timer = setTimeout(() => this.#flushOffTheCall(), 100);
      this.#timer.unref();
    }
  }

  /** Removes expired answers (once a minute) and the least recently used past the cap. */
  #maintain(): void {
    const now = this.#now();
    let removed = 0;
    // A minute either way: a clock set back must not stop the removals until it passes the last one again.
    if (Math.abs(now - this.#lastExpiry) > 60_000) {
      this.#lastExpiry = now;
      const expired = this.#db.prepare('DELETE FROM response_cache WHERE expires_at_ms <= ? RETURNING bytes').pluck().all(now) as number[];
      removed += expired.length;
      if (this.#bytes !== undefined) this.#bytes -= expired.reduce((sum, bytes) => sum + bytes, 0);
    }
    if (this.#trim || (this.#bytes !== undefined && this.#bytes > this.#maxBytes)) {
      this.#trim = false;
      // Exact before evicting: another process may have added or removed entries.
      this.#bytes = this.#db.prepare('SELECT COALESCE(SUM(bytes), 0) FROM response_cache').pluck().get() as number;
      const oldest = this.#db.prepare('SELECT key, bytes FROM response_cache ORDER BY used_at_ms, rowid').iterate() as IterableIterator<{ key: string; bytes: number }>;
      const victims: { key: string; bytes: number }[] = [];
      for (const row of oldest) {
        if (this.#bytes <= this.#maxBytes) break;
        victims.push(row);
        this.#bytes -= row.bytes;
      }
      const remove = this.#db.prepare('DELETE FROM response_cache WHERE key = ?');
      for (const { key } of victims) {
        removed += remove.run(key).changes;
        this.#front.delete(key);
      }
    }
    if (removed > 0) {
      this.#startCounting();
      this.#pending.evictions += removed;
    }
  }

  /** What the cache holds and its counts, this process's written first. */
  stats(maxBytes: number): CacheStats {
    this.flush();
    return readCacheStats(this.#db, this.#now(), maxBytes);
  }

  /** Empties the cache and starts the statistics again; the number of entries removed. */
  clear(): number {
    this.#pending = { hits: 0, misses: 0, stores: 0, evictions: 0 };
    this.#pendingSince = undefined;
    this.#front.clear();
    this.#touches.clear();
    this.#puts.splice(0);
    this.#removals.clear();
    this.#bytes = 0;
    const now = this.#now();
    return this.#db.transaction(() => {
      const removed = this.#db.prepare('DELETE FROM response_cache').run().changes;
      // The statistics start again, from now: what any process kept before now is not written (#dropClearedPuts).
      this.#db
        .prepare('INSERT INTO cache_stats (id, hits, misses, stores, evictions, since) VALUES (1, 0, 0, 0, 0, ?) ON CONFLICT (id) DO UPDATE SET hits = 0, misses = 0, stores = 0, evictions = 0, since = excluded.since')
        .run(new Date(now).toISOString());
      // Every process drops the answers it keeps in memory when it sees the generation move.
      this.#db.prepare('UPDATE config_generation SET n = n + 1 WHERE id = 1').run();
      return removed;
    })();
  }

  /**
   * Counts are kept in memory and written at most every half second (and before `stats`, `clear`
   * and `flush`): a lookup that misses then costs one read, not a commit.
   */
  #counted(column: 'hits' | 'misses' | 'stores' | 'evictions', by: number): void {
    this.#startCounting();
    this.#pending[column] += by;
    if (this.#timer) return;
    this.#timerSoon = this.#puts.length > 0;
    this.#timer = setTimeout(() => this.#flushOffTheCall(), this.#timerSoon ? 100 : 500);
    this.#timer.unref();
  }

  /**
   * A write from a timer. One that cannot commit (another process holding the write lock past the
   * busy timeout, a full disk) keeps what it had and is tried again a second later: it must not
   * take the process down.
   */
  #flushOffTheCall(): void {
    try {
      this.flush();
    } catch {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#flushOffTheCall(), 1_000);
      this.#timer.unref();
    }
  }

  /** Writes what is kept in memory: answers, last uses and counts; on a failure they are kept for the next write. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#db.open) return;
    const touches = [...this.#touches];
    const puts = [...this.#puts];
    const removals = [...this.#removals];
    this.#removals.clear();
    const pending = { ...this.#pending };
    const pendingSince = this.#pendingSince;
    const pendingGeneration = this.#pendingGeneration;
    this.#touches.clear();
    this.#touch ??= this.#db.prepare('UPDATE response_cache SET used_at_ms = MAX(used_at_ms, ?), hits = hits + ? WHERE key = ?');
    const touch = this.#touch;
    const write = this.#db.transaction(() => {
      if (removals.length > 0) this.#writeRemovals(removals);
      const wrote = this.#puts.length > 0;
      if (wrote) this.#writePuts();
      for (const [key, { at, hits: count }] of touches) touch.run(at, count, key);
      // After the last uses are written: eviction goes by them.
      if (wrote || this.#trim) this.#maintain();
      this.#writeCounts();
    });
    try {
      write();
    } catch (error) {
      for (const [key, touch] of touches) if (!this.#touches.has(key)) this.#touches.set(key, touch);
      for (const [key, createdAt] of removals) if (!this.#removals.has(key)) this.#removals.set(key, createdAt);
      this.#puts.splice(0, this.#puts.length, ...puts);
      this.#pending = pending;
      this.#pendingSince = pendingSince;
      this.#pendingGeneration = pendingGeneration;
      throw error;
    }
  }

  /** Notes when (and under which configuration generation) the first count not yet written was made. */
  #startCounting(): void {
    if (this.#pendingSince !== undefined) return;
    this.#pendingSince = this.#now();
    this.#pendingGeneration = this.#frontGeneration;
  }

  /**
   * Counts made before the statistics were last cleared (by another process) are not theirs:
   * dropped. Counts begun under the configuration generation there is now (`generation`; read
   * only when the times do not settle it) were made after any clear, whatever the clock says (it
   * may have been set back). Else the times decide, and the clear's has whole milliseconds:
   * counts begun in the same one go too, as #dropClearedPuts settles the same tie for answers.
   */
  #dropCountsBeforeClear(generation?: number): void {
    const since = this.#pendingSince;
    if (since === undefined) return;
    const clearedAt = this.#clearedAt();
    if (clearedAt < since || this.#pendingGeneration >= (generation ?? this.#generationNow())) return;
    this.#pending = { hits: 0, misses: 0, stores: 0, evictions: 0 };
    this.#pendingSince = undefined;
  }

  #writeCounts(): void {
    this.#dropCountsBeforeClear();
    const { hits, misses, stores, evictions } = this.#pending;
    if (hits + misses + stores + evictions === 0) return;
    this.#pending = { hits: 0, misses: 0, stores: 0, evictions: 0 };
    this.#pendingSince = undefined;
    this.#db
      .prepare(
        `INSERT INTO cache_stats (id, hits, misses, stores, evictions, since) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET hits = hits + excluded.hits, misses = misses + excluded.misses, stores = stores + excluded.stores, evictions = evictions + excluded.evictions`,
      )
      .run(hits, misses, stores, evictions, new Date(this.#now()).toISOString());
  }
}
