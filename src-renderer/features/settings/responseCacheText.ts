import type { CacheStats } from '../../../src-shared/domain/budget.ts';
import type { ResponseCacheSettings } from '../../../src-shared/domain/settings.ts';
import { checkWholeNumber, type WholeNumberBounds } from '../../ui/checkWholeNumber.ts';

export const ttlBounds: WholeNumberBounds = { min: 1, max: 24 * 365, label: 'The hours to keep answers' };
export const sizeBounds: WholeNumberBounds = { min: 1, max: 100_000, label: 'The size in megabytes' };

/** The cache's two limits as typed. */
export interface CacheLimitsDraft {
  ttlHours: string;
  maxMegabytes: string;
}

export function limitsDraftOf(settings: ResponseCacheSettings): CacheLimitsDraft {
  return { ttlHours: String(settings.ttlHours), maxMegabytes: String(settings.maxMegabytes) };
}

export function isLimitsDraft(value: unknown): value is CacheLimitsDraft {
  if (typeof value !== 'object' || value === null) return false;
  const draft = value as Record<string, unknown>;
  return typeof draft.ttlHours === 'string' && typeof draft.maxMegabytes === 'string';
}

/** The limits saved now, beside a draft of them in words: "The saved limits are 168 hours and 256 MB." */
export function savedLimitsSentence(saved: Pick<ResponseCacheSettings, 'ttlHours' | 'maxMegabytes'>): string {
  return `The saved limits are ${saved.ttlHours.toLocaleString('en-US')} ${saved.ttlHours === 1 ? 'hour' : 'hours'} and ${saved.maxMegabytes.toLocaleString('en-US')} MB.`;
}

/** The limits typed, as settings to save, or the first problem in words. */
export function readLimits(draft: CacheLimitsDraft): { ok: true; value: Pick<ResponseCacheSettings, 'ttlHours' | 'maxMegabytes'> } | { ok: false; problem: string } {
  const ttl = checkWholeNumber(draft.ttlHours.trim(), ttlBounds);
  if (!ttl.ok) return ttl;
  const size = checkWholeNumber(draft.maxMegabytes.trim(), sizeBounds);
  if (!size.ok) return size;
  return { ok: true, value: { ttlHours: ttl.value, maxMegabytes: size.value } };
}

const kib = 1024;
const mib = kib * kib;
const gib = mib * kib;

/** A size as people read it: bytes, KB, MB or GB (of 1024), one decimal past bytes. */
export function formatSize(bytes: number): string {
  if (bytes < kib) return `${bytes.toLocaleString('en-US')} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < mib) return `${(bytes / kib).toFixed(1)} KB`;
  if (bytes < gib) return `${(bytes / mib).toFixed(1)} MB`;
  return `${(bytes / gib).toFixed(1)} GB`;
}

const plural = (count: number, one: string, many: string) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/** What the cache holds, in words: "3 answers kept, 12.0 KB of 256.0 MB at most." */
export function keptSentence(stats: CacheStats): string {
  if (stats.entries === 0) return `No answers kept (at most ${formatSize(stats.maxBytes)}).`;
  return `${plural(stats.entries, 'answer', 'answers')} kept, ${formatSize(stats.bytes)} of ${formatSize(stats.maxBytes)} at most.`;
}

/** How often it answered since `since` (already in words: a date and time). */
export function lookupsSentence(stats: CacheStats, since: string): string {
  const asked = stats.hits + stats.misses;
  if (asked === 0) return `Since ${since}, no request has looked in the cache yet.`;
  const rate = Math.round(stats.hitRate * 100);
  const dropped = stats.evictions > 0 ? ` ${plural(stats.evictions, 'older answer was', 'older answers were')} let go to stay within the size.` : '';
  return `Since ${since}: ${plural(stats.hits, 'request', 'requests')} answered from the cache at no cost, ${plural(stats.misses, 'request', 'requests')} sent to the model (${rate} % answered here).${dropped}`;
}

/** The answer to Clear, in words. */
export function removedSentence(removed: number): string {
  return removed === 0 ? 'The cache was already empty.' : `Removed ${plural(removed, 'kept answer', 'kept answers')}.`;
}
