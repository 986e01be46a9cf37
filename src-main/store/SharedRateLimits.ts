import type { Database, Statement } from 'better-sqlite3';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';

const windowSeconds = 60;

type Limits = ProviderConfig['limits'];

/** A slot taken in the shared window: settle it with the tokens the call really used. */
export interface RateSlot {
  settle(tokens: number): void;
}

interface Bucket {
  second: number;
  requests: number;
  tokens: number;
}

/**
 * Requests and tokens per minute per provider, and at most `burst` requests started in one
 * second, counted in SQLite so every process on the database shares one window: two CLI commands
 * and the app together stay under a provider's limit. The window is one row per provider and
 * second (at most 60 rows read per call, however busy the provider). A slot is taken in an
 * IMMEDIATE transaction (check and count under SQLite's write lock) with the call's estimated
 * tokens, and settled after the call with the tokens the provider reported. When the request
 * does not fit, the answer is how long to wait before asking again. A request larger than the
 * whole token budget goes through alone once the window is empty rather than waiting forever.
 */
export class SharedRateLimits {
  readonly #db: Database;
  readonly #now: () => number;
  #window: Statement | undefined;
  #add: Statement | undefined;
  #settle: Statement | undefined;
  #prune: Statement | undefined;
  #lastPrune = 0;

  constructor(db: Database, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** Takes a slot now when one is free: the slot, or how many ms to wait before asking again. */
  tryTake(providerId: string, limits: Limits, tokens: number): RateSlot | number {
    return this.#db
      .transaction((): RateSlot | number => {
        const now = this.#now();
        const second = Math.floor(now / 1000);
        if (now - this.#lastPrune > 10_000) {
          (this.#prune ??= this.#db.prepare('DELETE FROM rate_usage WHERE second <= ?')).run(second - windowSeconds);
          this.#lastPrune = now;
        }
        this.#window ??= this.#db.prepare('SELECT second, requests, tokens FROM rate_usage WHERE provider_id = ? AND second > ? ORDER BY second');
        const buckets = this.#window.all(providerId, second - windowSeconds) as Bucket[];
        const wait = waitFor(limits, tokens, buckets, now, second);
        if (wait > 0) return wait;
        this.#add ??= this.#db.prepare(
          `INSERT INTO rate_usage (provider_id, second, requests, tokens) VALUES (?, ?, 1, ?)
           ON CONFLICT (provider_id, second) DO UPDATE SET requests = requests + 1, tokens = tokens + excluded.tokens`,
        );
        this.#add.run(providerId, second, tokens);
        return {
          settle: (used: number) => {
            if (!this.#db.open) return;
            (this.#settle ??= this.#db.prepare('UPDATE rate_usage SET tokens = MAX(0, tokens + ?) WHERE provider_id = ? AND second = ?')).run(Math.round(used) - tokens, providerId, second);
          },
        };
      })
      .immediate();
  }
}

/**
 * 0 when the request fits the window now, else the ms until enough of the window has passed:
 * the oldest seconds leave it first.
 */
function waitFor(limits: Limits, tokens: number, buckets: readonly Bucket[], now: number, second: number): number {
  if (buckets.length === 0) return 0;
  const untilSecondLeaves = (bucket: Bucket) => Math.max(1, (bucket.second + windowSeconds) * 1000 - now);
  const current = buckets.at(-1);
  if (limits.burst !== undefined && current?.second === second && current.requests >= limits.burst) return Math.max(1, (second + 1) * 1000 - now);
  let requests = buckets.reduce((sum, bucket) => sum + bucket.requests, 0);
  let used = buckets.reduce((sum, bucket) => sum + bucket.tokens, 0);
  const fits = () => (limits.requestsPerMinute === undefined || requests < limits.requestsPerMinute) && (limits.tokensPerMinute === undefined || requests === 0 || used + tokens <= limits.tokensPerMinute);
  if (fits()) return 0;
  for (const bucket of buckets) {
    requests -= bucket.requests;
    used -= bucket.tokens;
    if (fits()) return untilSecondLeaves(bucket);
  }
  return untilSecondLeaves(buckets.at(-1) as Bucket);
}
