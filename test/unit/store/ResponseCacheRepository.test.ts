import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { ResponseCacheRepository, type CachePut } from '../../../src-main/store/ResponseCacheRepository.ts';

const put = (key: string, text: string): CachePut => ({ key, text, inputTokens: 1, outputTokens: 1, providerId: 'p', model: 'm', ttlMs: 3_600_000 });

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

  it('the same before the old answer was written: neither the memory in front nor the queued write brings it back', () => {
    const db = openDatabase(':memory:');
    const cache = new ResponseCacheRepository(db);
    cache.put(put('k', 'the old answer'), 1024);
    cache.put(put('k', 'x'.repeat(4096)), 1024);
    expect(cache.get('k', 0)).toBeUndefined();
    cache.flush();
    expect(db.prepare('SELECT COUNT(*) FROM response_cache').pluck().get()).toBe(0);
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
