import type { RouteRequest } from '../modelCall/modelCallTypes.ts';
import type { Candidate } from './planTargets.ts';

/**
 * The overall deadline of one routed call, across every target, retry and wait: a hung or
 * throttled provider can cost at most this long before the caller hears why.
 *
 * It costs nothing until something waits on it: most calls answer on their first try, and an
 * attempt times itself (AttemptWatchdog, whose one timer includes the time left here), so the
 * abort signal and its timer are made only when a wait asks for `signal` (a rate limit, the
 * pause before a retry).
 */
export class CallDeadline {
  readonly ms: number;
  readonly #endsAt: number;
  readonly #now: () => number;
  #passed = false;
  #controller: AbortController | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number, now: () => number) {
    this.ms = ms;
    this.#now = now;
    this.#endsAt = now() + ms;
  }

  /** Whole milliseconds (the clock may be `performance.now`'s fractions): what is left goes into SQLite (a reservation's hold). */
  remainingMs(): number {
    return Math.max(0, Math.ceil(this.#endsAt - this.#now()));
  }

  /** True once the time is up: an attempt's or a wait's timer said so, or the clock does. */
  passed(): boolean {
    return this.#passed || this.remainingMs() === 0;
  }

  /** Aborts when the deadline passes (made, with its timer, on first use). */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.passed()) this.expire();
      else this.#timer = setTimeout(() => this.expire(), this.remainingMs());
    }
    return this.#controller.signal;
  }

  /** The time is up (an attempt's watchdog found it first). */
  expire(): void {
    this.#passed = true;
    clearTimeout(this.#timer);
    if (this.#controller && !this.#controller.signal.aborted) this.#controller.abort(new Error(`the overall deadline of ${describeMs(this.ms)} passed`));
  }

  /** Stops the timer (the call ended). */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}

/** "900 ms", "90 s", "2 min", "15 min 30 s": durations in messages people read. */
export function describeMs(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/**
 * How long a call has, across every target: the request's deadline, else the router's, stretched to
 * the longest total timeout a candidate provider was given (so that setting is honoured).
 */
export function callDeadlineMs(request: RouteRequest, candidates: readonly Candidate[], deadlineMs: number): number {
  if (request.deadlineMs !== undefined) return request.deadlineMs;
  let ms = deadlineMs;
  for (const candidate of candidates) ms = Math.max(ms, candidate.config?.totalTimeoutMs ?? 0);
  return ms;
}
