/**
 * The target that last answered each sticky key (a generation run's id), so the calls of one run
 * keep going where its prompt cache or KV cache is warm while that target stays healthy. Bounded:
 * the oldest keys are forgotten past `limit`, so a long-lived process does not grow without end.
 */
export class StickyTargets {
  readonly #limit: number;
  readonly #targets = new Map<string, string>();

  constructor(limit = 1_000) {
    this.#limit = limit;
  }

  get(stickyKey: string): string | undefined {
    return this.#targets.get(stickyKey);
  }

  set(stickyKey: string, targetKey: string): void {
    this.#targets.delete(stickyKey);
    this.#targets.set(stickyKey, targetKey);
    while (this.#targets.size > this.#limit) {
      const oldest = this.#targets.keys().next().value;
      if (oldest === undefined) break;
      this.#targets.delete(oldest);
    }
  }
}
