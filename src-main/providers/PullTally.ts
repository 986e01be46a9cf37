import type { OllamaPullLine } from './ollamaApi.ts';

const maxLayers = 1_000;

/**
 * Sums Ollama's pull progress over its layers: each line reports one layer (`digest`) with its
 * own `completed` and `total`, so the whole pull is the sum of the latest line of every layer.
 */
export class PullTally {
  readonly #layers = new Map<string, { completed: number; total: number }>();
  status = 'starting';

  /** Takes one line; true when the step changed (a new status), which is always worth telling. */
  add(line: OllamaPullLine): boolean {
    const changed = line.status !== this.status;
    this.status = line.status;
    // A model has a handful of layers: a server naming thousands is not believed past the first.
    if (line.digest !== undefined && line.total !== undefined && (this.#layers.has(line.digest) || this.#layers.size < maxLayers)) {
      this.#layers.set(line.digest, { completed: Math.min(Math.max(0, line.completed ?? 0), line.total), total: line.total });
    }
    return changed;
  }

  get completed(): number {
    let sum = 0;
    for (const layer of this.#layers.values()) sum += layer.completed;
    return Math.min(sum, Number.MAX_SAFE_INTEGER);
  }

  /** Null until a layer states its size. */
  get total(): number | null {
    if (this.#layers.size === 0) return null;
    let sum = 0;
    for (const layer of this.#layers.values()) sum += layer.total;
    return Math.min(sum, Number.MAX_SAFE_INTEGER);
  }
}
