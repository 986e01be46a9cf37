import { randomUUID } from 'node:crypto';
import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../src-shared/AppError.ts';
import type { EventPayload } from '../../../src-shared/contract.ts';
import type { EventBus } from '../../events/EventBus.ts';
import type { DownloadTimeouts } from '../DownloadWatch.ts';
import type { FreeSpace } from './checkDiskSpace.ts';
import { downloadStagingDir, listStaged, removeStaged, stagedPaths, type DownloadSidecar, type StagedPaths } from './downloadSidecar.ts';
import { downloadModel, type DownloadProgressInfo } from './downloadModel.ts';

export type DownloadProgress = EventPayload<'models.downloadProgress'>;

export interface DownloadManagerDeps {
  bus: EventBus;
  modelsDir: string;
  /** Minimum time between two progress events of one download. */
  progressIntervalMs?: number;
  timeouts?: DownloadTimeouts;
  freeSpace?: FreeSpace;
  huggingFaceEndpoint?: string;
  /** After a download lands (the model list changed). */
  onDone?: () => Promise<unknown>;
}

/** What the finished file must be, when known (the catalogue gives both). */
export interface ExpectedFile {
  sha256?: string;
  expectedBytes?: number;
}

interface Running {
  uri: string;
  controller: AbortController;
  /** The file it writes, once known: two downloads never share a partial file. */
  fileName?: string;
  /** Why it is being stopped: pause keeps the partial file, cancel deletes it. */
  stopping?: 'pause' | 'cancel';
  sidecar?: DownloadSidecar;
  last: DownloadProgress;
}

/**
 * The downloads of this app: started, paused (partial file and sidecar kept, listed again after
 * a restart), resumed (only the rest is fetched) and cancelled (partial file deleted). Progress
 * goes out as `models.downloadProgress` events with bytes, speed and time left.
 */
export class DownloadManager {
  readonly #deps: DownloadManagerDeps;
  readonly #running = new Map<string, Running>();

  constructor(deps: DownloadManagerDeps) {
    this.#deps = deps;
  }

  get #staging(): string {
    return join(this.#deps.modelsDir, downloadStagingDir);
  }

  /** Starts (or, for an address paused before, resumes) a download and returns at once. */
  start(uri: string, expected: ExpectedFile = {}, downloadId: string = randomUUID()): { downloadId: string; done: Promise<void> } {
    for (const [id, running] of this.#running) {
      if (running.uri === uri) throw new AppError('CONFLICT', `${uri} is being downloaded already (download ${id})`);
    }
    const controller = new AbortController();
    const entry: Running = { uri, controller, last: { downloadId, uri, state: 'running', downloadedBytes: 0, totalBytes: null } };
    this.#running.set(downloadId, entry);
    const interval = this.#deps.progressIntervalMs ?? 250;
    let lastEmit = Number.NEGATIVE_INFINITY;
    // Progress held back by the interval goes out when it ends: a download that then stalls still shows every byte it got.
    let trailing: NodeJS.Timeout | undefined;
    const emit = (update: Partial<DownloadProgress>) => {
      clearTimeout(trailing);
      trailing = undefined;
      entry.last = { ...entry.last, ...update };
      this.#deps.bus.emit('models.downloadProgress', entry.last);
    };
    emit({});
    const done = downloadModel(uri, this.#deps.modelsDir, {
      signal: controller.signal,
      downloadId,
      ...expected,
      ...(this.#deps.timeouts ? { timeouts: this.#deps.timeouts } : {}),
      ...(this.#deps.freeSpace ? { freeSpace: this.#deps.freeSpace } : {}),
      ...(this.#deps.huggingFaceEndpoint ? { huggingFaceEndpoint: this.#deps.huggingFaceEndpoint } : {}),
      claim: (fileName) => {
        for (const [id, other] of this.#running) {
          if (id !== downloadId && other.fileName === fileName) throw new AppError('CONFLICT', `${fileName} is being downloaded already from ${other.uri} (download ${id})`);
        }
        entry.fileName = fileName;
      },
      onStaged: (sidecar) => {
        entry.sidecar = sidecar;
        emit({ fileName: sidecar.fileName });
      },
      onProgress: (progress: DownloadProgressInfo) => {
        // A monotonic clock: one set back would hold the progress for as long as it went back.
        const now = performance.now();
        entry.last = { ...entry.last, ...progress };
        if (now - lastEmit < interval) {
          trailing ??= setTimeout(() => {
            lastEmit = performance.now();
            emit({});
          }, interval - (now - lastEmit));
          trailing.unref();
          return;
        }
        lastEmit = now;
        emit({});
      },
    })
      .then(async () => {
        emit({ state: 'done', bytesPerSecond: 0, secondsLeft: 0, resumable: false });
        await this.#deps.onDone?.();
      })
      .catch(async (error: unknown) => {
        const halted = { bytesPerSecond: 0, secondsLeft: null };
        if (controller.signal.aborted && entry.stopping === 'cancel') {
          if (entry.sidecar) await this.#discard(stagedPaths(this.#staging, entry.sidecar.fileName));
          emit({ ...halted, state: 'cancelled', resumable: false, message: 'Cancelled; the partial file was deleted' });
          return;
        }
        if (controller.signal.aborted) {
          emit({ ...halted, state: 'paused', resumable: true, message: `Paused at ${mib(entry.last.downloadedBytes)}; resume to fetch the rest` });
          return;
        }
        const resumable = entry.sidecar !== undefined && (await this.#isStaged(entry.sidecar));
        emit({ ...halted, state: 'failed', resumable, message: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => this.#running.delete(downloadId));
    return { downloadId, done };
  }

  async #discard(paths: StagedPaths): Promise<void> {
    await removeStaged(paths);
    await rmdir(this.#staging).catch(() => undefined); // only when empty: other paused downloads stay
  }

  async #isStaged(sidecar: DownloadSidecar): Promise<boolean> {
    return (await listStaged(this.#staging)).some((staged) => staged.sidecar.downloadId === sidecar.downloadId);
  }

  /** Running downloads and paused ones (from the staging folder: they survive restarts). */
  async list(): Promise<DownloadProgress[]> {
    const running = [...this.#running.values()].map((entry) => entry.last);
    const paused = (await listStaged(this.#staging))
      .filter(({ sidecar }) => !this.#running.has(sidecar.downloadId) && ![...this.#running.values()].some((entry) => entry.uri === sidecar.uri))
      .map(({ sidecar, downloadedBytes }): DownloadProgress => ({
        downloadId: sidecar.downloadId,
        uri: sidecar.uri,
        state: 'paused',
        downloadedBytes,
        totalBytes: sidecar.expectedBytes ?? sidecar.totalBytes,
        fileName: sidecar.fileName,
        resumable: true,
      }));
    return [...paused, ...running];
  }

  pause(downloadId: string): boolean {
    const entry = this.#running.get(downloadId);
    if (!entry) throw new AppError('NOT_FOUND', `No running download with id ${downloadId}`);
    entry.stopping = 'pause';
    entry.controller.abort();
    return true;
  }

  /** Resumes a paused download (this run's or one left by an earlier run) under its id. */
  async resume(downloadId: string): Promise<{ downloadId: string; done: Promise<void> }> {
    if (this.#running.has(downloadId)) return { downloadId, done: Promise.resolve() };
    const staged = (await listStaged(this.#staging)).find(({ sidecar }) => sidecar.downloadId === downloadId);
    if (!staged) throw new AppError('NOT_FOUND', `No paused download with id ${downloadId}`);
    const { uri, sha256, expectedBytes } = staged.sidecar;
    return this.start(uri, { ...(sha256 ? { sha256 } : {}), ...(expectedBytes !== null ? { expectedBytes } : {}) }, downloadId);
  }

  /** Stops a running download or forgets a paused one; either way its partial file is deleted. */
  async cancel(downloadId: string): Promise<boolean> {
    const entry = this.#running.get(downloadId);
    if (entry) {
      entry.stopping = 'cancel';
      entry.controller.abort();
      return true;
    }
    const staged = (await listStaged(this.#staging)).find(({ sidecar }) => sidecar.downloadId === downloadId);
    if (!staged) throw new AppError('NOT_FOUND', `No running or paused download with id ${downloadId}`);
    await this.#discard(staged.paths);
    this.#deps.bus.emit('models.downloadProgress', {
      downloadId,
      uri: staged.sidecar.uri,
      state: 'cancelled',
      downloadedBytes: staged.downloadedBytes,
      totalBytes: staged.sidecar.expectedBytes ?? staged.sidecar.totalBytes,
      fileName: staged.sidecar.fileName,
      resumable: false,
      message: 'Cancelled; the partial file was deleted',
    });
    return true;
  }

  /** Pauses every running download (the app is closing: they resume on the next start). */
  pauseAll(): void {
    for (const entry of this.#running.values()) {
      entry.stopping ??= 'pause';
      entry.controller.abort();
    }
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
