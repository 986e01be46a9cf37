/**
 * Time to first token per target as an exponentially weighted moving average (EWMA), updated
 * from every attempt, for the `least-latency` strategy. Recent attempts weigh most (`alpha`), so
 * a target that turns slow loses traffic within a few calls. An estimate older than
 * `staleAfterMs` is forgotten: the target counts as not measured and is tried again, so one that
 * recovered gets its traffic back instead of being judged forever on its slow spell.
 */
export class LatencyTracker {
  readonly #alpha: number;
  readonly #staleAfterMs: number;
  readonly #now: () => number;
  readonly #estimates = new Map<string, { ms: number; at: number }>();

  constructor(options: { alpha?: number; staleAfterMs?: number; now: () => number }) {
    this.#alpha = options.alpha ?? 0.3;
    this.#staleAfterMs = options.staleAfterMs ?? 5 * 60_000;
    this.#now = options.now;
  }

  /** Adds one attempt's time to first token (or, for one that timed out, how long it waited). */
  record(key: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const previous = this.estimate(key);
    const next = previous === undefined ? ms : previous + this.#alpha * (ms - previous);
    this.#estimates.set(key, { ms: next, at: this.#now() });
  }

  /** The current average in ms; undefined when not measured yet or no longer current. */
  estimate(key: string): number | undefined {
    const entry = this.#estimates.get(key);
    if (!entry) return undefined;
    if (this.#now() - entry.at > this.#staleAfterMs) {
      this.#estimates.delete(key);
      return undefined;
    }
    return entry.ms;
  }
}
