import { Worker } from 'node:worker_threads';

/**
 * The thread's code, as text (evaluated, CommonJS): no file of its own, so the bundles (CLI,
 * Electron main) need no extra entry. It hashes the file on disk from where it stopped up to
 * the size it is told, reading 1 MiB at a time into one reused buffer.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(1024 * 1024);
let hash = createHash('sha256');
let offset = 0;
function readUpTo(bytes) {
  if (bytes <= offset) return;
  const fd = openSync(workerData.path, 'r');
  try {
    while (offset < bytes) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, bytes - offset), offset);
      if (read === 0) break;
      hash.update(buffer.subarray(0, read));
      offset += read;
    }
  } finally {
    closeSync(fd);
  }
}
parentPort.on('message', (message) => {
  try {
    if (message.type === 'reset') {
      hash = createHash('sha256');
      offset = 0;
    } else if (message.type === 'upTo') {
      readUpTo(message.bytes);
    } else if (message.type === 'digest') {
      readUpTo(message.bytes);
      parentPort.postMessage(offset === message.bytes ? { digest: hash.digest('hex') } : { error: 'the file is ' + offset + ' bytes, ' + message.bytes + ' were expected' });
    }
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
`;

const toldEvery = 8 * 1024 * 1024;

/**
 * sha256 of a partial download, computed on its own thread from the bytes on disk as they land
 * (the downloading thread only says how far the file is written). So the checksum covers what
 * was written, not what was received, and hashing a multi-gigabyte file costs the download's
 * thread nothing: on loopback it was a third of that thread's time. A resumed file's existing
 * bytes are hashed the same way, while the rest downloads.
 */
export class FileHasher {
  readonly #worker: Worker;
  #failure: Error | undefined;
  #told = 0;
  #waiting: { resolve: (digest: string) => void; reject: (error: Error) => void } | undefined;

  constructor(path: string) {
    this.#worker = new Worker(workerSource, { eval: true, workerData: { path } });
    this.#worker.on('message', (message: { digest?: string; error?: string }) => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (message.digest !== undefined) waiting?.resolve(message.digest);
      else this.#fail(new Error(`the downloaded file could not be hashed: ${message.error ?? 'unknown error'}`), waiting);
    });
    this.#worker.on('error', (error) => this.#fail(error, this.#waiting));
  }

  #fail(error: Error, waiting: { reject: (error: Error) => void } | undefined): void {
    this.#failure = error;
    this.#waiting = undefined;
    waiting?.reject(error);
  }

  /** The file holds this many bytes now (they are hashed in the background; told every 8 MiB, a message costs). */
  written(bytes: number): void {
    if (bytes > this.#told && bytes - this.#told < toldEvery) return;
    this.#told = bytes;
    this.#worker.postMessage({ type: 'upTo', bytes });
  }

  /** The file was truncated: start over from its first byte. */
  reset(): void {
    this.#told = 0;
    this.#worker.postMessage({ type: 'reset' });
  }

  /** The sha256 of the file's first `bytes` bytes (waits for the thread to catch up). */
  digest(bytes: number): Promise<string> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#worker.postMessage({ type: 'digest', bytes });
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
