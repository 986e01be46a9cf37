import type { Database, Statement } from 'better-sqlite3';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';

const windowMs = 60_000;
const burstWindowMs = 1_000;

type Limits = ProviderConfig['limits'];

/** A slot taken in the shared window: settle it with the tokens the call really used. */
export interface RateSlot {
  settle(tokens: number): void;
}

/**
 * Requests and tokens per minute per provider (and at most `burst` requests in any one second),
 * counted in SQLite so every process on the database shares one window: two CLI commands and the
 * app together stay under a provider's limit. A slot is taken in an IMMEDIATE transaction (check
 * and insert under SQLite's write lock) with the call's estimated tokens, and settled after the
 * call with the tokens the provider reported. `waitMs` says how long until a request would fit;
 * the caller sleeps (abortably) and asks again. A request larger than the whole token budget goes
 * through alone once the window is empty rather than waiting forever.
 */
export class SharedRateLimits {
  readonly #db: Database;
  readonly #now: () => number;
  #window: Statement | undefined;
  #burst: Statement | undefined;
  #insert: Statement | undefined;
  #update: Statement | undefined;
  #prune: Statement | undefined;
  #lastPrune = 0;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** Takes a slot now when one is free: the slot, or how many ms to wait before asking again. */
  tryTake(providerId: string, limits: Limits, tokens: number): RateSlot | number {
    return this.#db.transaction((): RateSlot | number => {
      const now = this.#now();
      if (now - this.#lastPrune > 5_000) {
        (this.#prune ??= this.#db.prepare('DELETE FROM rate_usage WHERE at_ms < ?')).run(now - windowMs);
        this.#lastPrune = now;
      }
      this.#window ??= this.#db.prepare('SELECT COUNT(*) AS requests, COALESCE(SUM(tokens), 0) AS tokens, MIN(at_ms) AS oldest FROM rate_usage WHERE provider_id = ? AND at_ms > ?');
      const inWindow = this.#window.get(providerId, now - windowMs) as { requests: number; tokens: number; oldest: number | null };
      const wait = waitFor(limits, tokens, inWindow, now, () => this.#requestsAfter(providerId, now, limits));
      if (wait > 0) return wait;
      this.#insert ??= this.#db.prepare('INSERT INTO rate_usage (provider_id, at_ms, tokens) VALUES (?, ?, ?)');
      const id = this.#insert.run(providerId, now, tokens).lastInsertRowid;
      return {
        settle: (used: number) => {
          if (!this.#db.open) return;
          (this.#update ??= this.#db.prepare('UPDATE rate_usage SET tokens = ? WHERE id = ?')).run(Math.max(0, Math.round(used)), id);
        },
      };
    }).immediate();
  }

  /** How many ms until the request-per-minute or burst limit lets one more through. */
  #requestsAfter(providerId: string, now: number, limits: Limits): number {
    let wait = 0;
    if (limits.requestsPerMinute !== undefined) {
      // The request that must leave the window for one more to fit.
      const blocking = this.#db
        .prepare('SELECT at_ms FROM rate_usage WHERE provider_id = ? AND at_ms > ? ORDER BY at_ms DESC LIMIT 1 OFFSET ?')
        .pluck()
        .get(providerId, now - windowMs, limits.requestsPerMinute - 1) as number | undefined;
      if (blocking !== undefined) wait = Math.max(wait, blocking + windowMs - now);
    }
    if (limits.burst !== undefined) {
      this.#burst ??= this.#db.prepare('SELECT at_ms FROM rate_usage WHERE provider_id = ? AND at_ms > ? ORDER BY at_ms DESC LIMIT 1 OFFSET ?').pluck();
      const blocking = this.#burst.get(providerId, now - burstWindowMs, limits.burst - 1) as number | undefined;
      if (blocking !== undefined) wait = Math.max(wait, blocking + burstWindowMs - now);
    }
    return wait;
  }
}

function waitFor(limits: Limits, tokens: number, inWindow: { requests: number; tokens: number; oldest: number | null }, now: number, requestWait: () => number): number {
  if (inWindow.requests === 0) return 0;
  const requests = requestWait();
  if (requests > 0) return Math.max(1, requests);
  if (limits.tokensPerMinute !== undefined && inWindow.tokens + tokens > limits.tokensPerMinute) return Math.max(1, (inWindow.oldest ?? now) + windowMs - now);
  return 0;
}
