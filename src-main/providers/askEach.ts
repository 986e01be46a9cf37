/**
 * `work` for the first `most` items, `atOnce` at a time, each failure an undefined result, none
 * started once `signal` is aborted; the items past `most` get undefined. For the per-model
 * questions a model list leads to (Ollama's /api/show): a server listing thousands of models
 * must not get thousands of requests at once, nor keep a bounded list call waiting for them.
 */
export async function askEach<T, R>(
  items: readonly T[],
  options: { most: number; atOnce: number; signal?: AbortSignal | undefined },
  work: (item: T) => Promise<R>,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array<R | undefined>(items.length).fill(undefined);
  const count = Math.min(items.length, options.most);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && !options.signal?.aborted) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index] as T);
      } catch {
        // no answer for this one: it has no details
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.atOnce, count) }, worker));
  return results;
}
