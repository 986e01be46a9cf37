import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { ResponseCacheRepository, type CachePut } from '../../../src-main/store/ResponseCacheRepository.ts';

const put = (key: string, text: string): CachePut => ({ key, text, inputTokens: 1, outputTokens: 1, providerId: 'p', model: 'm', ttlMs: 3_600_000 });

/** Two connections to one database file (the app and the CLI): `generation` reads the configuration generation; both closed and the folder removed after. */
function twoConnections(run: (connections: { db: Database; other: Database; generation: () => number }) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sc-cache-two-'));
  const db = openDatabase(join(dir, 'service-creator.db'));
  const other = openDatabase(join(dir, 'service-creator.db'));
  try {
    run({ db, other, generation: () => db.prepare('SELECT n FROM config_generation WHERE id = 1').pluck().get() as number });
  } finally {
    db.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ResponseCacheRepository', () => {
  it('a new answer too large to keep drops the one kept before for the same request: a regenerate never brings the old answer back', () => {
    const db = openDatabase(':memory:');
    const cache = new ResponseCacheRepository(db);
    const cap = 1024;
    cache.put(put('k', 'the old answer'), cap);
    cache.flush();
    // Asked again bypassing the cache: the new answer is over the cap, so it cannot be kept.
    cache.put(put('k', 'x'.repeat(2 * cap)), cap);
    expect(cache.get('k', 0)).toBeUndefined();
    cache.flush();
    expect(new ResponseCacheRepository(db).get('k', 0)).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) FROM response_cache').pluck().get()).toBe(0);
  });

  it('an answer over 256 KiB read from SQLite is not held in memory in front of it (256 of them would fill memory): removed by another process, it answers no more; a small one stays', () => {
    twoConnections(({ db, other }) => {
      const writer = new ResponseCacheRepository(other);
      writer.put(put('large', 'x'.repeat(300 * 1024)), 16 * 1024 * 1024);
      writer.put(put('small', 'y'.repeat(1024)), 16 * 1024 * 1024);
      writer.flush();
      const reader = new ResponseCacheRepository(db);
      expect(reader.get('large', 0)?.text).toHaveLength(300 * 1024);
      expect(reader.get('small', 0)?.text).toHaveLength(1024);
      // Evicted by the other process (its cap lowered there): the configuration generation does not move.
      other.prepare('DELETE FROM response_cache').run();
      expect(reader.get('large', 0)).toBeUndefined();
      expect(reader.get('small', 0)?.text).toHaveLength(1024);
    });
  });

  it('the same before the old answer was written: neither the memory in front nor the queued write brings it back', () => {
    const db = openDatabase(':memory:');
    const cache = new ResponseCacheRepository(db);
    cache.put(put('k', 'the old answer'), 1024);
    cache.put(put('k', 'x'.repeat(4096)), 1024);
    expect(cache.get('k', 0)).toBeUndefined();
    cache.flush();
    expect(db.prepare('SELECT COUNT(*) FROM response_cache').pluck().get()).toBe(0);
  });

  it('a clear from another connection in the same millisecond as an answer was kept empties it: the answer neither answers nor is written (a call takes half a millisecond)', () => {
    const at = Date.parse('2026-12-03T10:00:00.000Z');
    twoConnections(({ db, other, generation }) => {
      const cache = new ResponseCacheRepository(db, () => at);
      const before = generation();
      cache.put(put('k', 'kept before the clear'), 1024, before);
      expect(new ResponseCacheRepository(other, () => at).clear()).toBe(0);
      const after = generation();
      expect(after).toBeGreaterThan(before);
      expect(cache.get('k', after)).toBeUndefined();
      // Kept in that same millisecond by a call that read the configuration after the clear: it stays.
      cache.put(put('k2', 'kept after the clear'), 1024, after);
      expect(cache.get('k2', after)?.text).toBe('kept after the clear');
      cache.flush();
      expect(other.prepare('SELECT key FROM response_cache').pluck().all()).toEqual(['k2']);
    });
  });

  it('counts made before another connection cleared the statistics are not added to them: the hit rate since the clear is of lookups after it', () => {
    let now = Date.parse('2026-12-03T10:00:00.000Z');
    twoConnections(({ db, other, generation }) => {
      const cache = new ResponseCacheRepository(db, () => now);
      expect(cache.get('a', generation())).toBeUndefined();
      expect(cache.get('b', generation())).toBeUndefined();
      now += 5;
      new ResponseCacheRepository(other, () => now).clear();
      now += 5;
      // Written by a flush before any lookup noticed the clear: still not counted.
      cache.flush();
      expect(new ResponseCacheRepository(other, () => now).stats(1024)).toMatchObject({ misses: 0, hits: 0 });
      // Counted here before a second clear, noticed by the next lookup, which alone counts.
      expect(cache.get('c', generation())).toBeUndefined();
      now += 5;
      new ResponseCacheRepository(other, () => now).clear();
      now += 5;
      expect(cache.get('d', generation())).toBeUndefined();
      cache.flush();
      expect(new ResponseCacheRepository(other, () => now).stats(1024)).toMatchObject({ misses: 1, hits: 0 });
    });
  });

  it('counts made in the same millisecond as a clear from another connection, by a call that read the configuration before it, are not added to the new statistics; those of a call after it are', () => {
    const at = Date.parse('2026-12-03T10:00:00.000Z');
    twoConnections(({ db, other, generation }) => {
      const cache = new ResponseCacheRepository(db, () => at);
      const before = generation();
      expect(cache.get('a', before)).toBeUndefined();
      new ResponseCacheRepository(other, () => at).clear();
      // Written by a flush before any lookup noticed the clear.
      cache.flush();
      expect(new ResponseCacheRepository(other, () => at).stats(1024)).toMatchObject({ misses: 0, hits: 0, stores: 0 });
      // Counted before a second clear in its millisecond, noticed by the next lookup (after it), which alone counts.
      expect(cache.get('b', generation())).toBeUndefined();
      cache.put(put('b', 'kept before the clear'), 1024, generation());
      new ResponseCacheRepository(other, () => at).clear();
      const after = generation();
      expect(cache.get('c', after)).toBeUndefined();
      cache.put(put('c', 'kept after the clear'), 1024, after);
      cache.flush();
      expect(new ResponseCacheRepository(other, () => at).stats(1024)).toMatchObject({ misses: 1, hits: 0, stores: 1 });
    });
  });

  it('an answer kept in the same millisecond as a clear from another connection is not written by the next flush either', () => {
    const at = Date.parse('2026-12-03T10:00:00.000Z');
    twoConnections(({ db, other }) => {
      const cache = new ResponseCacheRepository(db, () => at);
      cache.put(put('k', 'kept before the clear'), 1024, db.prepare('SELECT n FROM config_generation WHERE id = 1').pluck().get() as number);
      new ResponseCacheRepository(other, () => at).clear();
      cache.flush();
      expect(other.prepare('SELECT COUNT(*) FROM response_cache').pluck().get()).toBe(0);
    });
  });

  it('the clock set back by an hour: answers kept since are written and counted (they were taken for answers kept before the statistics began, and dropped)', () => {
    let now = Date.parse('2026-12-03T12:00:00.000Z');
    twoConnections(({ db, other, generation }) => {
      const cache = new ResponseCacheRepository(db, () => now);
      expect(cache.get('a', generation())).toBeUndefined();
      cache.put(put('a', 'kept before'), 1024, generation());
      cache.flush();
      now -= 3_600_000;
      expect(cache.get('b', generation())).toBeUndefined();
      cache.put(put('b', 'kept after the clock was set back'), 1024, generation());
      cache.flush();
      expect(new ResponseCacheRepository(other, () => now).get('b', generation())?.text).toBe('kept after the clock was set back');
      expect(new ResponseCacheRepository(other, () => now).stats(1024)).toMatchObject({ misses: 2, stores: 2 });
    });
  });

  it('the clock set back by an hour: what other processes keep is still counted against the size cap within 30 s', () => {
    let now = Date.parse('2026-12-03T12:00:00.000Z');
    twoConnections(({ db, other, generation }) => {
      const cache = new ResponseCacheRepository(db, () => now);
      const otherCache = new ResponseCacheRepository(other, () => now);
      const cap = 1000;
      const text = 'x'.repeat(399);
      cache.put(put('a', text), cap, generation());
      cache.flush();
      now -= 3_600_000;
      otherCache.put(put('b', text), cap, generation());
      otherCache.flush();
      now += 31_000;
      cache.put(put('c', text), cap, generation());
      cache.flush();
      expect(other.prepare('SELECT COALESCE(SUM(bytes), 0) FROM response_cache').pluck().get()).toBeLessThanOrEqual(cap);
    });
  });

  it('the clock set back a day: an answer kept before it, whose age cannot be told, does not answer (it did, past its time to live, for the day more)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-cache-clock-back-'));
    try {
      let now = Date.parse('2026-12-03T12:00:00.000Z');
      const db = openDatabase(join(dir, 'service-creator.db'));
      const generation = () => db.prepare('SELECT n FROM config_generation WHERE id = 1').pluck().get() as number;
      const cache = new ResponseCacheRepository(db, () => now);
      cache.put(put('a', 'kept for an hour'), 1_000_000, generation());
      cache.flush();
      now += 2 * 3_600_000 - 86_400_000; // two hours later, and the clock went back a day meanwhile
      // Neither this process (its memory in front) nor another (SQLite) answers with it.
      expect(new ResponseCacheRepository(db, () => now).get('a', generation())).toBeUndefined();
      expect(cache.get('a', generation())).toBeUndefined();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the clock set back by an hour: expired answers are still removed within a minute (not only once the clock passes the last removal again)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-cache-clock-back-'));
    try {
      let now = Date.parse('2026-12-03T12:00:00.000Z');
      const db = openDatabase(join(dir, 'service-creator.db'));
      const generation = () => db.prepare('SELECT n FROM config_generation WHERE id = 1').pluck().get() as number;
      const cache = new ResponseCacheRepository(db, () => now);
      cache.put(put('a', 'kept for an hour'), 1_000_000, generation());
      cache.flush(); // removes expired answers, and notes when
      now -= 3_600_000;
      cache.put({ ...put('b', 'kept for a second'), ttlMs: 1_000 }, 1_000_000, generation());
      cache.flush();
      now += 61_000;
      cache.put(put('c', 'kept for an hour'), 1_000_000, generation());
      cache.flush();
      expect(db.prepare('SELECT key FROM response_cache ORDER BY key').pluck().all()).toEqual(['a', 'c']);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps writing answers when the statistics row says a time that is not one (edited by hand): an unreadable clear time drops nothing', () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO cache_stats (id, hits, misses, stores, evictions, since) VALUES (1, 0, 0, 0, 0, 'yesterday')").run();
    const cache = new ResponseCacheRepository(db);
    cache.put(put('k', 'an answer'), 1024);
    cache.flush();
    expect(new ResponseCacheRepository(db).get('k', 0)?.text).toBe('an answer');
  });

  it('a write from its timer that cannot commit (another connection holds the write lock) throws nowhere and keeps the answer and the counts for the next write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-cache-busy-'));
    try {
      const db = openDatabase(join(dir, 'service-creator.db'));
      db.pragma('busy_timeout = 0');
      const holder = openDatabase(join(dir, 'service-creator.db'));
      const cache = new ResponseCacheRepository(db);
      holder.exec('BEGIN IMMEDIATE');
      cache.put(put('k', 'an answer'), 1024);
      expect(cache.get('other', 0)).toBeUndefined();
      // The timer's write (100 ms) fails: before, it threw out of the timer and took the process down.
      await new Promise((resolve) => setTimeout(resolve, 300));
      holder.exec('COMMIT');
      cache.flush();
      expect(new ResponseCacheRepository(holder).get('k', 0)?.text).toBe('an answer');
      expect(cache.stats(1024)).toMatchObject({ misses: 1, stores: 1 });
      db.close();
      holder.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
