import type { Database, Statement } from 'better-sqlite3';
import type { CacheStats } from '../../src-shared/domain/budget.ts';

/** How many answers each process keeps in memory in front of SQLite, and the largest it keeps there. */
const frontEntries = 256;
const frontEntryMaxBytes = 256 * 1024;

/** One answer kept: what `get` hands back on a hit. */
export interface CachedAnswer {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

export interface CachePut extends CachedAnswer {
  key: string;
  providerId: string;
  model: string;
  promptVersion?: string | undefined;
  ttlMs: number;
}

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
  #timer: NodeJS.Timeout | undefined;
  /** Last use of entries that answered, written with the counts (a hit writes nothing on the call's path). */
  readonly #touches = new Map<string, { at: number; hits: number }>();
  /**
   * Answers this process read or kept recently, most recently used last: a hit on one of them
   * reads nothing from SQLite. Dropped whenever another connection commits (data_version moves:
   * another process may have cleared or replaced entries).
   */
  readonly #front = new Map<string, { answer: CachedAnswer; expiresAt: number }>();
  #frontVersion = -1;
  #dataVersion: Statement | undefined;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** The answer kept for this key when it has not expired (a hit), else undefined (a miss). */
  get(key: string): CachedAnswer | undefined {
    const now = this.#now();
    const version = Number((this.#dataVersion ??= this.#db.prepare('PRAGMA data_version').pluck()).get());
    if (version !== this.#frontVersion) {
      this.#front.clear();
      this.#frontVersion = version;
    }
    const front = this.#front.get(key);
    if (front && front.expiresAt > now) {
      this.#front.delete(key);
      this.#front.set(key, front);
      this.#touched(key, now);
      return front.answer;
    }
    this.#select ??= this.#db.prepare('SELECT answer, input_tokens, output_tokens, expires_at_ms FROM response_cache WHERE key = ?');
    const row = this.#select.get(key) as { answer: string; input_tokens: number; output_tokens: number; expires_at_ms: number } | undefined;
    if (row === undefined || row.expires_at_ms <= now) {
      if (row) this.#db.prepare('DELETE FROM response_cache WHERE key = ?').run(key);
      this.#counted('misses', 1);
      return undefined;
    }
    const answer = { text: row.answer, inputTokens: row.input_tokens, outputTokens: row.output_tokens };
    this.#remember(key, answer, row.expires_at_ms);
    this.#touched(key, now);
    return answer;
  }

  #touched(key: string, now: number): void {
    const touch = this.#touches.get(key);
    this.#touches.set(key, { at: now, hits: (touch?.hits ?? 0) + 1 });
    this.#counted('hits', 1);
  }

  #remember(key: string, answer: CachedAnswer, expiresAt: number): void {
    this.#front.set(key, { answer, expiresAt });
    if (this.#front.size > frontEntries) this.#front.delete(this.#front.keys().next().value as string);
  }

  /** Keeps an answer, then evicts the least recently used entries while the cache is over `maxBytes`. */
  put(entry: CachePut, maxBytes: number): void {
    const now = this.#now();
    const bytes = Buffer.byteLength(entry.text, 'utf8') + entry.key.length;
    if (bytes > maxBytes) return;
    // Last uses kept in memory are written first: eviction goes by them.
    this.flush();
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO response_cache (key, provider_id, model, prompt_version, answer, input_tokens, output_tokens, bytes, created_at_ms, expires_at_ms, used_at_ms)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET answer = excluded.answer, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
             bytes = excluded.bytes, created_at_ms = excluded.created_at_ms, expires_at_ms = excluded.expires_at_ms, used_at_ms = excluded.used_at_ms`,
        )
        .run(entry.key, entry.providerId, entry.model, entry.promptVersion ?? null, entry.text, entry.inputTokens, entry.outputTokens, bytes, now, now + entry.ttlMs, now);
      this.#counted('stores', 1);
      if (bytes <= frontEntryMaxBytes) this.#remember(entry.key, { text: entry.text, inputTokens: entry.inputTokens, outputTokens: entry.outputTokens }, now + entry.ttlMs);
      const expired = this.#db.prepare('DELETE FROM response_cache WHERE expires_at_ms <= ?').run(now).changes;
      let total = this.#db.prepare('SELECT COALESCE(SUM(bytes), 0) FROM response_cache').pluck().get() as number;
      let evicted = 0;
      if (total > maxBytes) {
        const oldest = this.#db.prepare('SELECT key, bytes FROM response_cache ORDER BY used_at_ms, rowid').iterate() as IterableIterator<{ key: string; bytes: number }>;
        const victims: string[] = [];
        for (const row of oldest) {
          if (total <= maxBytes) break;
          victims.push(row.key);
          total -= row.bytes;
        }
        const remove = this.#db.prepare('DELETE FROM response_cache WHERE key = ?');
        for (const key of victims) {
          evicted += remove.run(key).changes;
          this.#front.delete(key);
          this.#touches.delete(key);
        }
      }
      if (evicted + expired > 0) this.#counted('evictions', evicted + expired);
    })();
  }

  stats(maxBytes: number): CacheStats {
    this.flush();
    const held = this.#db.prepare('SELECT COUNT(*) AS entries, COALESCE(SUM(bytes), 0) AS bytes FROM response_cache WHERE expires_at_ms > ?').get(this.#now()) as { entries: number; bytes: number };
    const counts = (this.#db.prepare('SELECT hits, misses, stores, evictions, since FROM cache_stats WHERE id = 1').get() as Omit<CacheStats, 'entries' | 'bytes' | 'maxBytes' | 'hitRate'> | undefined) ?? {
      hits: 0,
      misses: 0,
      stores: 0,
      evictions: 0,
      since: new Date(this.#now()).toISOString(),
    };
    const looked = counts.hits + counts.misses;
    return { ...held, maxBytes, ...counts, hitRate: looked === 0 ? 0 : counts.hits / looked };
  }

  /** Empties the cache and starts the statistics again; the number of entries removed. */
  clear(): number {
    this.#pending = { hits: 0, misses: 0, stores: 0, evictions: 0 };
    this.#front.clear();
    this.#touches.clear();
    return this.#db.transaction(() => {
      const removed = this.#db.prepare('DELETE FROM response_cache').run().changes;
      this.#db.prepare('DELETE FROM cache_stats').run();
      return removed;
    })();
  }

  /**
   * Counts are kept in memory and written at most every half second (and before `stats`, `clear`
   * and `flush`): a lookup that misses then costs one read, not a commit.
   */
  #counted(column: 'hits' | 'misses' | 'stores' | 'evictions', by: number): void {
    this.#pending[column] += by;
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), 500);
    this.#timer.unref();
  }

  /** Writes the counts kept in memory. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const { hits, misses, stores, evictions } = this.#pending;
    if (hits + misses + stores + evictions === 0 || !this.#db.open) return;
    this.#pending = { hits: 0, misses: 0, stores: 0, evictions: 0 };
    const touches = [...this.#touches];
    this.#touches.clear();
    this.#touch ??= this.#db.prepare('UPDATE response_cache SET used_at_ms = MAX(used_at_ms, ?), hits = hits + ? WHERE key = ?');
    const touch = this.#touch;
    this.#db.transaction(() => {
      for (const [key, { at, hits: count }] of touches) touch.run(at, count, key);
    })();
    this.#db
      .prepare(
        `INSERT INTO cache_stats (id, hits, misses, stores, evictions, since) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET hits = hits + excluded.hits, misses = misses + excluded.misses, stores = stores + excluded.stores, evictions = evictions + excluded.evictions`,
      )
      .run(hits, misses, stores, evictions, new Date(this.#now()).toISOString());
  }
}
