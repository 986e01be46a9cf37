import type { Database } from 'better-sqlite3';
import type { CacheStats } from '../../src-shared/domain/budget.ts';

/** What the response cache holds (answers not expired at `now`) and its counts as written, against the cap `maxBytes`. */
export function readCacheStats(db: Database, now: number, maxBytes: number): CacheStats {
  const held = db.prepare('SELECT COUNT(*) AS entries, COALESCE(SUM(bytes), 0) AS bytes FROM response_cache WHERE expires_at_ms > ?').get(now) as { entries: number; bytes: number };
  const counts = (db.prepare('SELECT hits, misses, stores, evictions, since FROM cache_stats WHERE id = 1').get() as Omit<CacheStats, 'entries' | 'bytes' | 'maxBytes' | 'hitRate'> | undefined) ?? {
    hits: 0,
    misses: 0,
    stores: 0,
    evictions: 0,
    since: new Date(now).toISOString(),
  };
  const looked = counts.hits + counts.misses;
  return { ...held, maxBytes, ...counts, hitRate: looked === 0 ? 0 : counts.hits / looked };
}
