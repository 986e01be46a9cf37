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
    const taken = this.tryTakeMany(providerId, limits, tokens, 1);
    if (typeof taken === 'number') return taken;
    return { settle: (used: number) => this.adjust(providerId, taken.second, 0, Math.round(used) - tokens) };
  }

  /**
   * Takes up to `want` slots of `tokens` each in the current second when the first fits: as many
   * as leave others at least fifteen sixteenths of the room (a quarter for a burst), at least
   * one. A process draws on them without asking the database until the second ends (RateLeases),
   * and gives back what it did not use (`adjust`). Else how many ms to wait before asking again.
   */
  tryTakeMany(providerId: string, limits: Limits, tokens: number, want: number): { second: number; slots: number } | number {
    return this.#db
      .transaction((): { second: number; slots: number } | number => {
        const now = this.#now();
        const second = Math.floor(now / 1000);
        // 10 s either way: a clock set back must not stop the pruning until it passes the last one again.
        if (Math.abs(now - this.#lastPrune) > 10_000) {
          (this.#prune ??= this.#db.prepare('DELETE FROM rate_usage WHERE second <= ?')).run(second - windowSeconds);
          this.#lastPrune = now;
        }
        this.#window ??= this.#db.prepare('SELECT second, requests, tokens FROM rate_usage WHERE provider_id = ? AND second > ? ORDER BY second');
        let buckets = this.#window.all(providerId, second - windowSeconds) as Bucket[];
        // Seconds ahead of this clock (it was set back, or another process's runs ahead): those
        // requests were made a moment ago, so they count as this second's and leave the window
        // within a minute; else the burst would look at the wrong second and a full window wait
        // as long as the clock moved.
        if ((buckets.at(-1)?.second ?? second) > second) {
          this.#foldAhead(providerId, second);
          buckets = this.#window.all(providerId, second - windowSeconds) as Bucket[];
        }
        const wait = waitFor(limits, tokens, buckets, now, second);
        if (wait > 0) return wait;
        const slots = Math.max(1, Math.min(want, roomFor(limits, tokens, buckets, second)));
        this.#add ??= this.#db.prepare(
          `INSERT INTO rate_usage (provider_id, second, requests, tokens) VALUES (?, ?, ?, ?)
           ON CONFLICT (provider_id, second) DO UPDATE SET requests = requests + excluded.requests, tokens = tokens + excluded.tokens`,
        );
        this.#add.run(providerId, second, slots, slots * tokens);
        return { second, slots };
      })
      .immediate();
  }

  /** Moves what a provider's window counts after `second` into `second`. */
  #foldAhead(providerId: string, second: number): void {
    this.#db
      .prepare(
        `INSERT INTO rate_usage (provider_id, second, requests, tokens)
         SELECT provider_id, ?, SUM(requests), SUM(tokens) FROM rate_usage WHERE provider_id = ? AND second > ? GROUP BY provider_id
         ON CONFLICT (provider_id, second) DO UPDATE SET requests = requests + excluded.requests, tokens = tokens + excluded.tokens`,
      )
      .run(second, providerId, second);
    this.#db.prepare('DELETE FROM rate_usage WHERE provider_id = ? AND second > ?').run(providerId, second);
  }

  /**
   * Adds to (or, negative, takes from) what a second of a provider's window counts: tokens
   * settled, slots given back. A second no longer in the table was folded into an earlier one
   * (the clock was set back: #foldAhead): the newest second before it, which holds its counts, is
   * changed instead, or the slots it did not use would count for a minute more.
   */
  adjust(providerId: string, second: number, requests: number, tokens: number): void {
    if (!this.#db.open || (requests === 0 && tokens === 0)) return;
    (this.#settle ??= this.#db.prepare(
      `UPDATE rate_usage SET requests = MAX(0, requests + ?), tokens = MAX(0, tokens + ?)
       WHERE provider_id = ? AND second = (SELECT MAX(second) FROM rate_usage WHERE provider_id = ? AND second <= ?)`,
    )).run(requests, tokens, providerId, providerId, second);
  }
}

/** How many requests of `tokens` may be taken at once: a sixteenth of each per-minute room, a quarter of the burst's. */
function roomFor(limits: Limits, tokens: number, buckets: readonly Bucket[], second: number): number {
  let room = Number.POSITIVE_INFINITY;
  const requests = buckets.reduce((sum, bucket) => sum + bucket.requests, 0);
  const used = buckets.reduce((sum, bucket) => sum + bucket.tokens, 0);
  if (limits.requestsPerMinute !== undefined) room = Math.min(room, Math.floor((limits.requestsPerMinute - requests) / 16));
  if (limits.tokensPerMinute !== undefined) room = Math.min(room, Math.floor((limits.tokensPerMinute - used) / 16 / Math.max(1, tokens)));
  if (limits.burst !== undefined) {
    const current = buckets.at(-1);
    room = Math.min(room, Math.floor((limits.burst - (current?.second === second ? current.requests : 0)) / 4));
  }
  return room;
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
