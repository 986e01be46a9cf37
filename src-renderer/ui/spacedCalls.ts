/** A function run on request, but never twice within `gapMs`; see spacedCalls. */
export interface SpacedCalls {
  /** Asks for a run: at once after a quiet while, else once when the gap is over (requests meanwhile join it). */
  request: () => void;
  /** Drops a run that is waiting. */
  stop: () => void;
}

/**
 * Runs `run` when asked, at most once every `gapMs`: the first request after a quiet while runs
 * at once, the ones within the gap are joined into a single run when it is over, so the last of
 * a busy spell is always followed. For figures costly to ask for, followed as events come.
 */
export function spacedCalls(run: () => void, gapMs: number, now: () => number = Date.now): SpacedCalls {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const fire = () => {
    timer = undefined;
    last = now();
    run();
  };
  return {
    request: () => {
      if (timer !== undefined) return;
      const wait = last + gapMs - now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    stop: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
