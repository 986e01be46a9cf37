/** What raceAbort gives: the value, or nothing because the signal aborted first. */
export type Raced<T> = { ok: true; value: T } | { ok: false };

/** Waits for `promise` unless `signal` aborts first; never rejects because of the signal. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<Raced<T>> {
  if (signal.aborted) return Promise.resolve({ ok: false });
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<Raced<T>>((resolve) => {
    onAbort = () => resolve({ ok: false });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise.then((value): Raced<T> => ({ ok: true, value })), aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
