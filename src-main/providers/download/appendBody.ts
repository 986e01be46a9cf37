import { open } from 'node:fs/promises';
import { privateFileMode } from '../../paths/keepPrivate.ts';

export interface AppendBodyOptions {
  /** `append` continues the partial file; `truncate` starts it over (a 200 answer, a first try). */
  mode: 'append' | 'truncate';
  /** Called with the bytes added by this body so far, after each write reached the file. */
  onBytes: (bytesAdded: number) => void;
}

/** Bytes gathered before one write: few system calls and thread-pool hops per megabyte. */
const batchBytes = 1024 * 1024;
/** Written-but-not-yet-on-disk bytes before reading waits for the disk (memory stays bounded). */
const maxQueuedBytes = 8 * batchBytes;
/** A slow link still shows progress (and a pause keeps what arrived) at least this often. */
const flushEveryMs = 200;

/**
 * Streams a response body into the partial file. Chunks are gathered into 1 MiB batches, each
 * written with one writev; up to 8 MiB may wait for the disk before reading pauses (memory stays
 * bounded when the disk is slower than the link). When the body fails (the connection drops, the
 * request is aborted to pause), what arrived is written before the error is passed on, so the
 * next request asks only for the rest. Resolves with the bytes written; the file on disk is the
 * truth after a failure (a batch may have landed in part).
 */
export async function appendBody(body: AsyncIterable<Uint8Array> & { recycle?: ((chunk: Uint8Array) => void) | undefined }, partialPath: string, options: AppendBodyOptions): Promise<number> {
  const recycle = body.recycle?.bind(body);
  const handle = await open(partialPath, options.mode === 'append' ? 'a' : 'w', privateFileMode);
  let added = 0;
  let queued = 0;
  let chunks: Uint8Array[] = [];
  let gathered = 0;
  let lastFlush = performance.now();
  let pending: Promise<void> = Promise.resolve();
  const flush = () => {
    lastFlush = performance.now();
    if (gathered === 0) return;
    const batch = chunks;
    const bytes = gathered;
    chunks = [];
    gathered = 0;
    queued += bytes;
    pending = pending.then(async () => {
      // One system call for the batch, without copying it into one buffer first.
      await handle.writev(batch);
      // A body that reuses its buffers (RawBody) gets them back once they are on their way to the disk.
      if (recycle) for (const chunk of batch) recycle(chunk);
      queued -= bytes;
      added += bytes;
      options.onBytes(added);
    });
    pending.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
  };
  const timer = setInterval(() => {
    if (performance.now() - lastFlush >= flushEveryMs) flush();
  }, flushEveryMs);
  try {
    for await (const value of body) {
      chunks.push(value);
      gathered += value.length;
      if (gathered >= batchBytes) {
        flush();
        if (queued > maxQueuedBytes) await pending;
      }
    }
  } catch (error) {
    flush();
    await pending.catch(() => undefined);
    throw error;
  } finally {
    clearInterval(timer);
    flush();
    await pending.finally(() => handle.close());
  }
  return added;
}
