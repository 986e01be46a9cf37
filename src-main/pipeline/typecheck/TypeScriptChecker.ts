import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ProjectCheckFailed, type ProjectCheckFailure } from './ProjectCheckFailed.ts';
import type { ProjectFinding } from './ProjectFinding.ts';
import { packagedDeclarationsDir } from './typeDeclarationsDir.ts';

export interface TypeScriptCheckRequest {
  id: number;
  files: { path: string; content: string }[];
  pending: readonly string[];
  timeoutMs: number;
}

export type TypeScriptCheckReply =
  | { id: number; findings: ProjectFinding[] }
  | { id: number; error: { name: string; reason?: string | undefined; message: string } };

/**
 * The TypeScript compiler API on a worker thread kept for the life of the app: loading
 * `typescript` and parsing the lib files (most of a cold check) happen once, and a check never
 * blocks the app's event loop. Checks are queued one at a time. Abort or the deadline terminate
 * the thread (the compiler cannot be interrupted from outside); the next check starts a new one.
 */
export class TypeScriptChecker {
  #worker: Worker | undefined;
  #nextId = 1;
  #queue: Promise<unknown> = Promise.resolve();
  #warm = false;
  readonly #declarationsDir: string | undefined;

  /** `declarationsDir`: where the lib files and Node's declarations are (default: the installed app's, else node_modules). */
  constructor(options: { declarationsDir?: string | undefined } = {}) {
    this.#declarationsDir = 'declarationsDir' in options ? options.declarationsDir : packagedDeclarationsDir();
  }

  /** The thread has finished a check: the compiler and the lib files are loaded. */
  get warm(): boolean {
    return this.#warm;
  }

  /** Loads the compiler and the lib files ahead of the first check (a tiny project); never rejects. */
  prewarm(): void {
    if (this.#worker !== undefined) return;
    this.check([{ path: '__warmup__.ts', content: 'export const ready: Promise<number[]> = Promise.resolve([1]);\n' }], [], { timeoutMs: 120_000 }).catch(() => undefined);
  }

  check(files: readonly { path: string; content: string }[], pending: readonly string[], options: { signal?: AbortSignal; timeoutMs: number }): Promise<ProjectFinding[]> {
    options.signal?.throwIfAborted();
    const deadline = performance.now() + options.timeoutMs;
    const task = this.#queue.then(() => this.#run(files, pending, deadline, options.timeoutMs, options.signal));
    this.#queue = task.catch(() => undefined);
    return task;
  }

  /** Ends the thread; a later check starts another. */
  dispose(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#warm = false;
    void worker?.terminate();
  }

  #run(files: readonly { path: string; content: string }[], pending: readonly string[], deadline: number, timeoutMs: number, signal: AbortSignal | undefined): Promise<ProjectFinding[]> {
    signal?.throwIfAborted();
    const worker = (this.#worker ??= this.#spawn());
    const id = this.#nextId++;
    return new Promise<ProjectFinding[]>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const stop = (error: Error) => {
        settle();
        if (this.#worker === worker) this.dispose();
        reject(error);
      };
      const timer = setTimeout(() => stop(new ProjectCheckFailed('timeout', `The type checker (TypeScript) ran past its limit of ${Math.round(timeoutMs / 1000)} s and was stopped.`)), Math.max(0, deadline - performance.now()));
      const onAbort = () => stop(signal?.reason instanceof Error ? signal.reason : new DOMException('The project check was cancelled.', 'AbortError'));
      const onError = (error: Error) => stop(new ProjectCheckFailed('crashed', `The type checker (TypeScript) failed: ${error.message}`, { cause: error }));
      const onExit = (code: number) => stop(new ProjectCheckFailed('crashed', `The type checker (TypeScript) stopped with exit code ${code}.`));
      const onMessage = (reply: TypeScriptCheckReply) => {
        if (reply.id !== id) return;
        settle();
        if ('findings' in reply) {
          this.#warm = true;
          resolve(reply.findings);
          return;
        }
        const { error } = reply;
        if (error.name === 'ProjectCheckFailed') reject(new ProjectCheckFailed((error.reason ?? 'crashed') as ProjectCheckFailure, error.message));
        else reject(new ProjectCheckFailed('crashed', `The type checker (TypeScript) failed: ${error.message}`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const request: TypeScriptCheckRequest = { id, files: files.map((file) => ({ path: file.path, content: file.content })), pending, timeoutMs: Math.max(1, deadline - performance.now()) };
      worker.postMessage(request);
    });
  }

  #spawn(): Worker {
    const worker = new Worker(typeScriptWorkerUrl(), { workerData: { declarationsDir: this.#declarationsDir } });
    // An idle checker thread does not keep the app alive; a check in flight holds its timer.
    worker.unref();
    return worker;
  }
}

/**
 * Where the checker thread's module is: next to this file when running from the sources
 * (`typeScriptWorker.ts`); in a bundle (the CLI's out/cli, Electron's out/main) the build emits it
 * as its own entry, `typeScriptWorker.js`, beside the chunk that holds this code or one folder up
 * (Electron puts chunks in out/main/chunks/). The names are built at run time so that the bundler
 * does not treat them as assets to copy.
 */
function typeScriptWorkerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL(['.', 'typeScriptWorker.ts'].join('/'), here);
  const candidates = ['.', '..'].map((folder) => new URL([folder, 'typeScriptWorker.js'].join('/'), here));
  return candidates.find((candidate) => existsSync(fileURLToPath(candidate))) ?? (candidates[0] as URL);
}
