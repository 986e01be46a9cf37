/** What arrived for one key since the last flush: whether it started over, and the text to append. */
export interface TextBatch {
  reset: boolean;
  text: string;
}

export interface TextBatcher {
  /** Queues a piece of text for `key`. */
  append: (key: string, text: string) => void;
  /** What `key` showed so far is void (a restarted attempt): the next flush starts it from empty. */
  reset: (key: string) => void;
  /** Flushes what is queued now, without waiting for the frame (before a state that depends on it). */
  flush: () => void;
  /** Drops what is queued and the pending frame (the view closed). */
  dispose: () => void;
}

export interface TextBatcherOptions {
  /** Requests the next flush; `requestAnimationFrame` in the page. Returns a handle for `cancel`. */
  schedule?: (callback: () => void) => number;
  cancel?: (handle: number) => void;
}

interface AnimationFrames {
  requestAnimationFrame: (callback: () => void) => number;
  cancelAnimationFrame: (handle: number) => void;
}

/**
 * Collects streamed text per key and hands it on at most once per animation frame: a model writing
 * 500 tokens a second sends 500 events, but the store (and React) sees about 60 updates, each with
 * every piece that arrived since the last one, in order.
 */
export function createTextBatcher(onFlush: (batches: ReadonlyMap<string, TextBatch>) => void, options: TextBatcherOptions = {}): TextBatcher {
  // Through globalThis: the module is also type-checked (and unit-tested) under Node's libs, which have no frames.
  const frames = globalThis as unknown as AnimationFrames;
  const schedule = options.schedule ?? ((callback: () => void) => frames.requestAnimationFrame(callback));
  const cancel = options.cancel ?? ((handle: number) => frames.cancelAnimationFrame(handle));
  let pending = new Map<string, TextBatch>();
  let frame: number | null = null;

  const flush = () => {
    if (frame !== null) cancel(frame);
    frame = null;
    if (pending.size === 0) return;
    const batches = pending;
    pending = new Map();
    onFlush(batches);
  };
  const request = () => {
    frame ??= schedule(flush);
  };

  return {
    append: (key, text) => {
      if (text === '') return;
      const batch = pending.get(key);
      if (batch) batch.text += text;
      else pending.set(key, { reset: false, text });
      request();
    },
    reset: (key) => {
      pending.set(key, { reset: true, text: '' });
      request();
    },
    flush,
    dispose: () => {
      if (frame !== null) cancel(frame);
      frame = null;
      pending = new Map();
    },
  };
}
