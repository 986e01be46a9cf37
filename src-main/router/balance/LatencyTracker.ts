import type { LatencySample } from '../routerTypes.ts';
import { targetKey } from './targetKey.ts';

/**
 * Time to first token per target as an exponentially weighted moving average (EWMA), updated
 * from every attempt, for the `least-latency` strategy. Recent attempts weigh most (`alpha`), so
 * a target that turns slow loses traffic within a few calls. An estimate older than
 * `staleAfterMs` is forgotten: the target counts as not measured and is tried again, so one that
 * recovered gets its traffic back instead of being judged forever on its slow spell. A tracker that
 * has measured nothing when first asked starts from `seed` (what other processes measured within
 * that time), so a one-shot command does not treat every target as unmeasured.
 */
export class LatencyTracker {
  readonly #alpha: number;
  readonly #staleAfterMs: number;
  readonly #now: () => number;
  readonly #estimates = new Map<string, { ms: number; at: number }>();
  #seed: ((sinceMs: number) => LatencySample[]) | undefined;

  constructor(options: { alpha?: number; staleAfterMs?: number; now: () => number; seed?: (sinceMs: number) => LatencySample[] }) {
    this.#seed = options.seed;
    this.#alpha = options.alpha ?? 0.3;
    this.#staleAfterMs = options.staleAfterMs ?? 5 * 60_000;
    this.#now = options.now;
  }

  /** Adds one attempt's time to first token (or, for one that timed out, how long it waited). */
  record(key: string, ms: number): void {
    this.#seed = undefined; // measured here: what others measured before is not added to it
    this.#add(key, ms, this.#now());
  }

  #add(key: string, ms: number, at: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const previous = this.#current(key, at);
    const next = previous === undefined ? ms : previous + this.#alpha * (ms - previous);
    this.#estimates.set(key, { ms: next, at });
  }

  /** The current average in ms; undefined when not measured yet or no longer current. */
  estimate(key: string): number | undefined {
    if (this.#seed) this.#seedOnce(this.#seed);
    return this.#current(key, this.#now());
  }

  #current(key: string, now: number): number | undefined {
    const entry = this.#estimates.get(key);
    if (!entry) return undefined;
    // Made after now: the clock was set back. Counted as made now, so it goes stale within
    // `staleAfterMs` and not only once the clock passes its time again (a slow target kept off for an hour).
    if (entry.at > now) entry.at = now;
    else if (now - entry.at > this.#staleAfterMs) {
      this.#estimates.delete(key);
      return undefined;
    }
    return entry.ms;
  }

  #seedOnce(seed: (sinceMs: number) => LatencySample[]): void {
    this.#seed = undefined;
    let samples: LatencySample[];
    try {
      samples = seed(this.#now() - this.#staleAfterMs);
    } catch {
      return; // a store that cannot be read leaves the targets unmeasured, as before
    }
    for (const sample of samples) this.#add(targetKey(sample), sample.ms, sample.at);
  }
}
