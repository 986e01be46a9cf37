import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../src-shared/AppError.ts';
import type { LocalModel } from '../../src-shared/domain/providerStatus.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { DownloadTimeouts } from './DownloadWatch.ts';
import { loadModelCatalog } from './catalog/loadModelCatalog.ts';
import { catalogDownload, catalogExpectations, isModelAddress } from './download/catalogDownload.ts';
import type { FreeSpace } from './download/checkDiskSpace.ts';
import { DownloadManager, type DownloadProgress, type ExpectedFile } from './download/DownloadManager.ts';
import { findLocalModel, importModel, listLocalModels, type LocalModel as FoundModel } from './localModels.ts';

/** A routing target that names a model: the task and the provider. */
export interface ModelUse {
  task: string;
  providerId: string;
}

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
  /** Free space of a folder (tests report a nearly full disk); default fs.statfs. */
  freeSpace?: FreeSpace;
  huggingFaceEndpoint?: string;
  /** The routing targets that use a local model id (read from the routing table). */
  modelUses?: (modelId: string) => ModelUse[];
  /** The shipped catalogue (resources/models/catalog.json): `pull` accepts its ids. */
  catalogPath?: string;
}

/**
 * Local GGUF models: list (with metadata read from the files), import (copy + sha256), remove,
 * and downloads by URL or `hf:` URI (DownloadManager: progress with speed and time left, pause,
 * resume also after a restart, cancel).
 */
export class ModelService {
  readonly #deps: ModelServiceDeps;
  readonly #downloads: DownloadManager;

  constructor(deps: ModelServiceDeps) {
    this.#deps = deps;
    this.#downloads = new DownloadManager({
      bus: deps.bus,
      modelsDir: deps.modelsDir,
      onDone: () => this.list(),
      ...(deps.progressIntervalMs === undefined ? {} : { progressIntervalMs: deps.progressIntervalMs }),
      ...(deps.downloadTimeouts ? { timeouts: deps.downloadTimeouts } : {}),
      ...(deps.freeSpace ? { freeSpace: deps.freeSpace } : {}),
      ...(deps.huggingFaceEndpoint ? { huggingFaceEndpoint: deps.huggingFaceEndpoint } : {}),
    });
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
  download(uri: string, expected: ExpectedFile = {}): { downloadId: string; done: Promise<void> } {
    return this.#downloads.start(uri, expected);
  }

  /**
   * Starts a download of a catalogue id (`MODEL:QUANT`) or of an address; returns at once, like
   * `download`. A file the catalogue lists (by id, or by its exact `hf:` address) is checked
   * against the catalogue's size and sha256.
   */
  async pull(idOrUri: string): Promise<{ downloadId: string; done: Promise<void> }> {
    const catalog = this.#deps.catalogPath === undefined ? undefined : await loadModelCatalog(this.#deps.catalogPath);
    if (isModelAddress(idOrUri)) return this.download(idOrUri, (catalog && catalogExpectations(catalog, idOrUri)) ?? {});
    if (catalog === undefined) throw new AppError('INVALID_INPUT', `A model address starts with https://, http:// or hf: (got "${idOrUri.slice(0, 80)}")`);
    const { uri, ...expected } = catalogDownload(catalog, idOrUri);
    return this.download(uri, expected);
  }

  downloads(): Promise<DownloadProgress[]> {
    return this.#downloads.list();
  }

  pause(downloadId: string): boolean {
    return this.#downloads.pause(downloadId);
  }

  resume(downloadId: string): Promise<{ downloadId: string; done: Promise<void> }> {
    return this.#downloads.resume(downloadId);
  }

  /** Stops a running download or forgets a paused one, deleting its partial file. */
  cancel(downloadId: string): Promise<boolean> {
    return this.#downloads.cancel(downloadId);
  }

  /** Closing: running downloads pause (they are listed again and resume on the next start). */
  cancelAll(): void {
    this.#downloads.pauseAll();
  }

  /**
   * Deletes a model file from the app's models folder. A model the routing names is refused
   * (CONFLICT, naming each task) unless `force`: deleting it silently would make those tasks
   * skip their first target. Files in other model folders (the repository's `models/`) are
   * the user's: not deleted here.
   */
  async remove(id: string, force = false): Promise<{ id: string; usedBy: ModelUse[] }> {
    const path = await findLocalModel([this.#deps.modelsDir], id);
    if (path === undefined) {
      const elsewhere = await findLocalModel(this.#deps.modelDirs, id);
      if (elsewhere !== undefined) throw new AppError('INVALID_INPUT', `${id} is not in the app's models folder (it is ${elsewhere}): delete that file yourself`);
      throw new AppError('NOT_FOUND', `No local model ${id} in ${this.#deps.modelsDir}`);
    }
    const usedBy = this.#deps.modelUses?.(id) ?? [];
    if (usedBy.length > 0 && !force) {
      const uses = usedBy.map((use) => `${use.task} (${use.providerId})`).join(', ');
      throw new AppError('CONFLICT', `${id} is used by the routing of ${uses}: change those targets first, or remove it anyway (those tasks then skip it)`);
    }
    await rm(path);
    if (await stat(join(this.#deps.modelsDir, id)).then(() => true, () => false)) throw new AppError('IO_FAILED', `${path} could not be deleted`);
    await this.list();
    return { id, usedBy };
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
