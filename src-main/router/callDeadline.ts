/**
 * The overall deadline of one routed call, across every target, retry and wait: a hung or
 * throttled provider can cost at most this long before the caller hears why.
 */
export interface CallDeadline {
  ms: number;
  /** Aborts when the deadline passes. */
  signal: AbortSignal;
  remainingMs: () => number;
  /** Stops the timer (the call ended). */
  dispose: () => void;
}

export function startDeadline(ms: number, now: () => number): CallDeadline {
  const endsAt = now() + ms;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`the overall deadline of ${describeMs(ms)} passed`)), ms);
  return {
    ms,
    signal: controller.signal,
    remainingMs: () => Math.max(0, endsAt - now()),
    dispose: () => clearTimeout(timer),
  };
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
