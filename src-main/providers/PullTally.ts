import type { OllamaPullLine } from './ollamaApi.ts';

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
    if (line.digest !== undefined && line.total !== undefined) {
      this.#layers.set(line.digest, { completed: Math.min(line.completed ?? 0, line.total), total: line.total });
    }
    return changed;
  }

  get completed(): number {
    let sum = 0;
    for (const layer of this.#layers.values()) sum += layer.completed;
    return sum;
  }

  /** Null until a layer states its size. */
  get total(): number | null {
    if (this.#layers.size === 0) return null;
    let sum = 0;
    for (const layer of this.#layers.values()) sum += layer.total;
    return sum;
  }
}
