import type { Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { privateFileMode } from '../../paths/keepPrivate.ts';

export interface AppendBodyOptions {
  /** `append` continues the partial file; `truncate` starts it over (a 200 answer, a first try). */
  mode: 'append' | 'truncate';
  hash: Hash;
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
 * Streams a response body into the partial file, hashing as it goes so the checksum is ready
 * when the last byte lands (no second pass over a multi-gigabyte file). Chunks are gathered
 * into 1 MiB writes; each batch is hashed on this thread while its write runs on libuv's pool,
 * and at most two batches wait (memory stays bounded when the disk is slower than the link).
 * When the body fails (the connection drops, the request is aborted to pause), what arrived is
 * written before the error is passed on, so the next request asks only for the rest.
 *
 * Resolves with the bytes written. After a failure the hash may hold a batch whose write
 * failed: the caller takes the file on disk as the truth and rehashes it (downloadModel).
 */
export async function appendBody(body: ReadableStream<Uint8Array>, partialPath: string, options: AppendBodyOptions): Promise<number> {
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
      const writing = handle.writev(batch);
      for (const chunk of batch) options.hash.update(chunk);
      await writing;
      queued -= bytes;
      added += bytes;
      options.onBytes(added);
    });
    pending.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
  };
  const timer = setInterval(() => {
    if (performance.now() - lastFlush >= flushEveryMs) flush();
  }, flushEveryMs);
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
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
