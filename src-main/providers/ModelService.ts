import { randomUUID } from 'node:crypto';
import { AppError } from '../../src-shared/AppError.ts';
import type { LocalModel } from '../../src-shared/domain/providerStatus.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { DownloadTimeouts } from './DownloadWatch.ts';
import { downloadModel, importModel, listLocalModels, type LocalModel as FoundModel } from './localModels.ts';

export interface ModelServiceDeps {
  bus: EventBus;
  /** Where imported and downloaded models go (the data folder's `models/`). */
  modelsDir: string;
  /** Every folder searched for GGUF files; `modelsDir` among them. */
  modelDirs: string[];
  onListed?: (models: LocalModel[]) => void;
  /** Minimum time between two progress events of one download. */
  progressIntervalMs?: number;
  /** Connect and idle timeouts of downloads (defaults in DownloadWatch). */
  downloadTimeouts?: DownloadTimeouts;
}

/**
 * Local GGUF models: list (with metadata read from the files), import (copy + sha256), and
 * downloads by URL or `hf:` URI with progress events, cancel and resume (the downloader keeps
 * partial files and continues them on the next try).
 */
export class ModelService {
  readonly #deps: ModelServiceDeps;
  readonly #downloads = new Map<string, AbortController>();

  constructor(deps: ModelServiceDeps) {
    this.#deps = deps;
  }

  async list(): Promise<LocalModel[]> {
    const models = (await listLocalModels(this.#deps.modelDirs)).map(toLocalModel);
    this.#deps.onListed?.(models);
    return models;
  }

  async import(path: string, signal?: AbortSignal): Promise<LocalModel> {
    const imported = await importModel(path, this.#deps.modelsDir, signal ? { signal } : {});
    const listed = (await this.list()).find((model) => model.id === imported.id);
    return listed ?? { id: imported.id, path: imported.path, sizeBytes: imported.sizeBytes };
  }

  /** Starts a download and returns at once; progress arrives as `models.downloadProgress` events. */
  download(uri: string): { downloadId: string; done: Promise<void> } {
    const downloadId = randomUUID();
    const controller = new AbortController();
    this.#downloads.set(downloadId, controller);
    const interval = this.#deps.progressIntervalMs ?? 250;
    let lastEmit = 0;
    const emit = (state: 'running' | 'done' | 'failed' | 'cancelled', downloadedBytes: number, totalBytes: number | null, message?: string) =>
      this.#deps.bus.emit('models.downloadProgress', { downloadId, uri, state, downloadedBytes, totalBytes, ...(message ? { message } : {}) });
    let downloaded = 0;
    let total: number | null = null;
    emit('running', 0, null);
    const done = downloadModel(uri, this.#deps.modelsDir, {
      signal: controller.signal,
      ...(this.#deps.downloadTimeouts ? { timeouts: this.#deps.downloadTimeouts } : {}),
      onProgress: (progress: { downloadedBytes: number; totalBytes?: number | undefined }) => {
        downloaded = progress.downloadedBytes;
        total = progress.totalBytes ?? null;
        const now = Date.now();
        if (now - lastEmit >= interval) {
          lastEmit = now;
          emit('running', downloaded, total);
        }
      },
    })
      .then(async () => {
        emit('done', downloaded, total);
        await this.list();
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) emit('cancelled', downloaded, total, 'Cancelled; starting the same download again resumes it');
        else emit('failed', downloaded, total, error instanceof Error ? error.message : String(error));
      })
      .finally(() => this.#downloads.delete(downloadId));
    return { downloadId, done };
  }

  cancel(downloadId: string): boolean {
    const controller = this.#downloads.get(downloadId);
    if (!controller) throw new AppError('NOT_FOUND', `No running download with id ${downloadId}`);
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const controller of this.#downloads.values()) controller.abort();
  }
}

function toLocalModel(model: FoundModel): LocalModel {
  const info = model.info;
  return {
    id: model.id,
    path: model.path,
    sizeBytes: model.sizeBytes,
    ...(info?.architecture ? { architecture: info.architecture } : {}),
    ...(info?.quantization ? { quantization: info.quantization } : {}),
    ...(info?.contextLength ? { contextLength: info.contextLength } : {}),
  };
}
