import type { z } from 'zod';
import type { rateLimitsSchema } from '../../src-shared/domain/provider.ts';
import { abortableSleep as sleep } from './abortableSleep.ts';

type Limits = z.infer<typeof rateLimitsSchema>;

interface Entry {
  at: number;
  tokens: number;
}

const windowMs = 60_000;

/**
 * Requests and tokens per minute for one provider, as a sliding one-minute window. `acquire`
 * waits (abortably) until the request fits; a request larger than the whole token budget goes
 * through alone once the window is empty, rather than waiting forever.
 */
export class RateLimiter {
  readonly #limits: Limits;
  readonly #now: () => number;
  readonly #entries: Entry[] = [];

  constructor(limits: Limits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  /** How long the caller would wait now, in ms (0 = may go). */
  waitTime(tokens: number): number {
    const now = this.#now();
    this.#prune(now);
    const { requestsPerMinute, tokensPerMinute } = this.#limits;
    const oldest = this.#entries[0];
    if (!oldest) return 0;
    const untilOldestExpires = oldest.at + windowMs - now;
    if (requestsPerMinute !== undefined && this.#entries.length >= requestsPerMinute) {
      const blocking = this.#entries[this.#entries.length - requestsPerMinute];
      return Math.max(1, (blocking?.at ?? now) + windowMs - now);
    }
    if (this.#limits.burst !== undefined) {
      const blocking = this.#entries[this.#entries.length - this.#limits.burst];
      if (blocking && blocking.at > now - 1_000) return Math.max(1, blocking.at + 1_000 - now);
    }
    if (tokensPerMinute !== undefined) {
      const used = this.#entries.reduce((sum, entry) => sum + entry.tokens, 0);
      if (used + tokens > tokensPerMinute) return Math.max(1, untilOldestExpires);
    }
    return 0;
  }

  /** Takes a slot now if one is free (no await on the hot path); false when the caller must wait. */
  tryAcquire(tokens: number): boolean {
    if (this.#limits.requestsPerMinute === undefined && this.#limits.tokensPerMinute === undefined && this.#limits.burst === undefined) return true;
    if (this.waitTime(tokens) !== 0) return false;
    this.#entries.push({ at: this.#now(), tokens });
    return true;
  }

  async acquire(tokens: number, signal?: AbortSignal): Promise<void> {
    if (this.tryAcquire(tokens)) return;
    for (;;) {
      signal?.throwIfAborted();
      const wait = this.waitTime(tokens);
      if (wait === 0) {
        this.#entries.push({ at: this.#now(), tokens });
        return;
      }
      await sleep(wait, signal);
    }
  }

  #prune(now: number): void {
    // Entries ahead of the clock (it was set back) were made a moment ago: they count as made now,
    // else the window would stay full for as long as the clock moved (an hour set back: an hour's wait).
    const newest = this.#entries.at(-1);
    if (newest !== undefined && newest.at > now) for (const entry of this.#entries) entry.at = Math.min(entry.at, now);
    while (this.#entries[0] && this.#entries[0].at <= now - windowMs) this.#entries.shift();
  }
}
