/**
 * Calls under way per target. `least-latency` breaks ties with it (the less busy target first),
 * so every start must be matched by exactly one end, whether the call answered, failed or was
 * cancelled: `start` returns the one function that ends it, safe to call twice.
 */
export class InFlightCounter {
  readonly #counts = new Map<string, number>();

  start(key: string): () => void {
    this.#counts.set(key, this.count(key) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const left = this.count(key) - 1;
      if (left > 0) this.#counts.set(key, left);
      else this.#counts.delete(key);
    };
  }

  count(key: string): number {
    return this.#counts.get(key) ?? 0;
  }
}
