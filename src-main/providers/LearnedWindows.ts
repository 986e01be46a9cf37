import { raceAbort } from './raceAbort.ts';

/** A slow or hung server must not stall generation: past this, the adapter's default window is used. */
export const learnTimeoutMs = 2_000;
/** A server that could not say its window is asked again only after this long (it may have been starting). */
const retryAfterMs = 60_000;

/**
 * The context windows an adapter learned from its server, per model, asked once: concurrent
 * callers share one question, an answer is kept for the adapter's life (the gateway rebuilds the
 * adapter when its configuration or key changes, which forgets them), and a failed or timed-out
 * question is not repeated for a minute.
 */
export class LearnedWindows {
  readonly #known = new Map<string, number>();
  readonly #pending = new Map<string, Promise<void>>();
  readonly #failedAt = new Map<string, number>();
  readonly #now: () => number;
  readonly #timeoutMs: number;

  constructor(options: { now?: () => number; timeoutMs?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? learnTimeoutMs;
  }

  get(model: string): number | undefined {
    return this.#known.get(model);
  }

  set(model: string, contextLength: number): void {
    this.#known.set(model, contextLength);
    this.#failedAt.delete(model);
  }

  /**
   * Asks `ask` for the model's window unless it is known, being asked, or failed recently. Never
   * throws and never waits past the timeout (the question is aborted then).
   */
  learn(model: string, ask: (signal: AbortSignal) => Promise<number | undefined>, signal?: AbortSignal): Promise<void> {
    if (this.#known.has(model)) return Promise.resolve();
    const pending = this.#pending.get(model);
    if (pending) return pending;
    const failedAt = this.#failedAt.get(model);
    // A failure after now (the clock was set back since) is not recent: asked again.
    const sinceFailure = failedAt === undefined ? undefined : this.#now() - failedAt;
    if (sinceFailure !== undefined && sinceFailure >= 0 && sinceFailure < retryAfterMs) return Promise.resolve();
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const bounded = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const question = (async () => {
      try {
        const raced = await raceAbort(ask(bounded), bounded);
        const found = raced.ok ? raced.value : undefined;
        if (found !== undefined && Number.isInteger(found) && found > 0) this.set(model, found);
        else if (!signal?.aborted) this.#failedAt.set(model, this.#now());
      } catch {
        // The caller's own cancellation says nothing about the server: ask again next time.
        if (!signal?.aborted) this.#failedAt.set(model, this.#now());
      } finally {
        this.#pending.delete(model);
      }
    })();
    this.#pending.set(model, question);
    return question;
  }
}
