import { describe, expect, it } from 'vitest';
import type { CacheStats } from '../../../src-shared/domain/budget.ts';
import { responseCacheSchema } from '../../../src-shared/domain/settings.ts';
import { formatSize, isLimitsDraft, keptSentence, limitsDraftOf, lookupsSentence, readLimits, removedSentence, savedLimitsSentence } from '../../../src-renderer/features/settings/responseCacheText.ts';

const mb = 1024 * 1024;

function stats(extra: Partial<CacheStats>): CacheStats {
  return { entries: 0, bytes: 0, maxBytes: 256 * mb, hits: 0, misses: 0, stores: 0, evictions: 0, hitRate: 0, since: '2026-12-03T05:00:00.000Z', ...extra };
}

describe('the cache limits as typed', () => {
  it('within their bounds they are settings the core accepts', () => {
    const read = readLimits({ ttlHours: ' 48 ', maxMegabytes: '512' });
    expect(read).toEqual({ ok: true, value: { ttlHours: 48, maxMegabytes: 512 } });
    if (read.ok) expect(responseCacheSchema.safeParse({ enabled: true, ...read.value }).success).toBe(true);
    expect(readLimits({ ttlHours: '1', maxMegabytes: '1' }).ok).toBe(true);
    expect(readLimits({ ttlHours: '8760', maxMegabytes: '100000' }).ok).toBe(true);
  });

  it('out of bounds, empty or not whole: the problem names the field and its range in words', () => {
    expect(readLimits({ ttlHours: '0', maxMegabytes: '5' })).toEqual({ ok: false, problem: 'The hours to keep answers must be a whole number from 1 to 8760, not "0"' });
    expect(readLimits({ ttlHours: '8761', maxMegabytes: '5' })).toMatchObject({ ok: false, problem: expect.stringContaining('from 1 to 8760') });
    expect(readLimits({ ttlHours: '2', maxMegabytes: '100001' })).toEqual({ ok: false, problem: 'The size in megabytes must be a whole number from 1 to 100000, not "100001"' });
    expect(readLimits({ ttlHours: '2', maxMegabytes: '' }).ok).toBe(false);
    expect(readLimits({ ttlHours: '2.5', maxMegabytes: '5' }).ok).toBe(false);
  });

  it('start from the stored settings; a stored draft is checked on the way back', () => {
    expect(limitsDraftOf({ enabled: false, ttlHours: 168, maxMegabytes: 256 })).toEqual({ ttlHours: '168', maxMegabytes: '256' });
    expect(isLimitsDraft({ ttlHours: '1', maxMegabytes: '2' })).toBe(true);
    expect(isLimitsDraft({ ttlHours: 1, maxMegabytes: '2' })).toBe(false);
    expect(isLimitsDraft('1/2')).toBe(false);
  });
});

describe('the cache figures in words', () => {
  it('sizes', () => {
    expect(formatSize(0)).toBe('0 bytes');
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(2048)).toBe('2.0 KB');
    expect(formatSize(256 * mb)).toBe('256.0 MB');
    expect(formatSize(100_000 * mb)).toBe('97.7 GB');
  });

  it('what it keeps', () => {
    expect(keptSentence(stats({}))).toBe('No answers kept (at most 256.0 MB).');
    expect(keptSentence(stats({ entries: 1, bytes: 1536 }))).toBe('1 answer kept, 1.5 KB of 256.0 MB at most.');
    expect(keptSentence(stats({ entries: 1200, bytes: 3 * mb }))).toBe('1,200 answers kept, 3.0 MB of 256.0 MB at most.');
  });

  it('how often it answered', () => {
    expect(lookupsSentence(stats({}), '3 Dec 2026, 05:00')).toBe('Since 3 Dec 2026, 05:00, no request has looked in the cache yet.');
    expect(lookupsSentence(stats({ hits: 1, misses: 1, hitRate: 0.5 }), 'today')).toBe('Since today: 1 request answered from the cache at no cost, 1 request sent to the model (50 % answered here).');
    expect(lookupsSentence(stats({ hits: 2, misses: 4, hitRate: 1 / 3, evictions: 3 }), 'today')).toBe(
      'Since today: 2 requests answered from the cache at no cost, 4 requests sent to the model (33 % answered here). 3 older answers were let go to stay within the size.',
    );
  });

  it('what Clear removed', () => {
    expect(removedSentence(0)).toBe('The cache was already empty.');
    expect(removedSentence(1)).toBe('Removed 1 kept answer.');
    expect(removedSentence(12)).toBe('Removed 12 kept answers.');
  });
});

describe('the saved limits beside a draft of them', () => {
  it('in words, one hour apart from many', () => {
    expect(savedLimitsSentence({ ttlHours: 168, maxMegabytes: 256 })).toBe('The saved limits are 168 hours and 256 MB.');
    expect(savedLimitsSentence({ ttlHours: 1, maxMegabytes: 100_000 })).toBe('The saved limits are 1 hour and 100,000 MB.');
  });
});
