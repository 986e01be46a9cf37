import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { keepPrivate, privateFileMode, privateFolderMode } from '../paths/keepPrivate.ts';
import { AppError } from '../../src-shared/AppError.ts';
import { fsErrorToAppError } from '../paths/fsErrorToAppError.ts';
import { ProviderError } from './ProviderError.ts';
import { readGgufInfo, type GgufInfo } from './ggufInfo.ts';

/**
 * The GGUF files the llama.cpp provider can use: `*.gguf` in the model folders (repo `models/`
 * and the data dir's `models/`), one level of sub-folders included. A model's id is its path
 * relative to its folder with `/` separators; the first folder wins when two hold the same id.
 * Of a split model (`name-00001-of-00003.gguf`) only the first part is listed; llama.cpp
 * loads the others from it.
 */
export interface LocalModel {
  id: string;
  path: string;
  sizeBytes: number;
  /** Header details; absent when the file could not be read as GGUF (see `problem`). */
  info?: GgufInfo;
  problem?: string;
}

export interface ImportedModel {
  id: string;
  path: string;
  sha256: string;
  sizeBytes: number;
}

export interface ImportModelOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { copiedBytes: number; totalBytes: number }) => void;
  providerId?: string;
}

const maxDepth = 2;
const laterSplitPart = /-(\d{5})-of-\d{5}\.gguf$/i;

async function findGgufFiles(dir: string, depth: number): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return []; // a folder that does not exist (yet) holds no models
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory() && depth < maxDepth) found.push(...(await findGgufFiles(path, depth + 1)));
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.gguf')) {
      const part = laterSplitPart.exec(entry.name);
      if (part === null || part[1] === '00001') found.push(path);
    }
  }
  return found;
}

function toModelId(dir: string, path: string): string {
  return relative(dir, path).split(sep).join('/');
}

/** Model files in `dirs` (paths only, no header reads): what `health()` counts. */
export async function findLocalModelFiles(dirs: readonly string[]): Promise<{ id: string; path: string }[]> {
  const seen = new Set<string>();
  const files: { id: string; path: string }[] = [];
  for (const dir of dirs) {
    for (const path of await findGgufFiles(resolve(dir), 0)) {
      const id = toModelId(resolve(dir), path);
      if (seen.has(id)) continue;
      seen.add(id);
      files.push({ id, path });
    }
  }
  return files;
}

/** Every model file in `dirs` with its GGUF header details; unreadable files carry `problem`. */
export async function listLocalModels(dirs: readonly string[]): Promise<LocalModel[]> {
  const files = await findLocalModelFiles(dirs);
  return Promise.all(
    files.map(async ({ id, path }): Promise<LocalModel> => {
      try {
        const info = await readGgufInfo(path);
        return { id, path, sizeBytes: info.sizeBytes, info };
      } catch (error) {
        const sizeBytes = await stat(path).then((s) => s.size, () => 0);
        return { id, path, sizeBytes, problem: (error as Error).message };
      }
    }),
  );
}

/**
 * The file behind a model id, or undefined when no folder has it. Ids are untrusted (they come
 * from settings and the renderer): absolute paths, `..` and anything resolving outside the
 * folder are never looked up.
 */
export async function findLocalModel(dirs: readonly string[], id: string): Promise<string | undefined> {
  if (id === '' || isAbsolute(id) || id.includes('\\') || id.split('/').some((part) => part === '..' || part === '' || part === '.')) return undefined;
  if (!id.toLowerCase().endsWith('.gguf')) return undefined;
  for (const dir of dirs) {
    const root = resolve(dir);
    const path = resolve(root, id);
    if (!path.startsWith(root + sep)) continue;
    const stats = await stat(path).catch(() => undefined);
    if (stats?.isFile()) return path;
  }
  return undefined;
}

function cancelledError(providerId: string, what: string, cause: unknown): ProviderError {
  return new ProviderError(providerId, 'cancelled', `${what} was cancelled`, { cause });
}

/**
 * What a user can get wrong in the file they choose to import, as typed errors in words (the UI
 * shows them in a dialog): not there (NOT_FOUND), a folder or not a regular file or not GGUF
 * (INVALID_INPUT), unreadable (IO_FAILED), in the models folder already (CONFLICT: it is listed
 * as it is). File-system errors are mapped by fsErrorToAppError, never passed on raw.
 */
async function checkImportSource(srcPath: string, destDir: string): Promise<void> {
  const stats = await stat(srcPath).catch((error: unknown) => {
    throw fsErrorToAppError(error, srcPath, 'import');
  });
  if (stats.isDirectory()) throw new AppError('INVALID_INPUT', `${srcPath} is a folder: choose a .gguf model file`);
  if (!stats.isFile()) throw new AppError('INVALID_INPUT', `${srcPath} is not a regular file (a device, pipe or socket): choose a .gguf model file`);
  const [source, models] = await Promise.all([realpath(srcPath), realpath(destDir).catch(() => resolve(destDir))]);
  if (source.startsWith(models + sep)) {
    throw new AppError('CONFLICT', `${srcPath} is in the models folder already (${destDir}): it is listed with the local models as it is, nothing to import`);
  }
  let magic: string | undefined;
  try {
    const handle = await open(srcPath, 'r');
    try {
      const buffer = Buffer.alloc(4);
      magic = (await handle.read(buffer, 0, 4, 0)).bytesRead === 4 ? buffer.toString('latin1') : undefined;
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fsErrorToAppError(error, srcPath, 'read');
  }
  if (magic !== 'GGUF') throw new AppError('INVALID_INPUT', `${srcPath} is not a GGUF model file (it does not start with "GGUF"); only GGUF models can be imported`);
}

/**
 * Copies a GGUF file into `destDir` (the data dir's `models/`) and returns its id and sha256.
 * The copy is hashed while it streams and lands atomically: it is written to a hidden temp
 * sibling and renamed into place only when complete, so a crash or cancel never leaves a
 * half-copied model that the model list would show. Refuses what checkImportSource refuses
 * and never overwrites an existing model (CONFLICT).
 */
export async function importModel(srcPath: string, destDir: string, options: ImportModelOptions = {}): Promise<ImportedModel> {
  const providerId = options.providerId ?? 'llama-cpp';
  await checkImportSource(srcPath, destDir);
  const name = basename(srcPath);
  const finalPath = join(destDir, name.toLowerCase().endsWith('.gguf') ? name : `${name}.gguf`);
  if (await stat(finalPath).then(() => true, () => false)) {
    throw new AppError('CONFLICT', `${finalPath} already exists; remove it first or rename the file to import`);
  }
  await mkdir(destDir, { recursive: true, mode: privateFolderMode });
  keepPrivate(destDir); // models live in the private data folder: 0700, and each model 0600
  const tempPath = join(destDir, `.${basename(finalPath)}.${randomUUID()}.partial`);
  const totalBytes = (await stat(srcPath)).size;
  const hash = createHash('sha256');
  let copiedBytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      copiedBytes += chunk.length;
      options.onProgress?.({ copiedBytes, totalBytes });
      callback(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(srcPath), hashing, createWriteStream(tempPath, { flags: 'wx', mode: privateFileMode }), { signal: options.signal });
    await readGgufInfo(tempPath, { providerId }); // a truncated or corrupt header is refused too
    await rename(tempPath, finalPath);
  } catch (error) {
    await rm(tempPath, { force: true });
    if (options.signal?.aborted) throw cancelledError(providerId, `importing ${srcPath}`, error);
    if (error instanceof AppError) throw error;
    throw fsErrorToAppError(error, srcPath, `copy into ${destDir}`);
  }
  return { id: basename(finalPath), path: finalPath, sha256: hash.digest('hex'), sizeBytes: copiedBytes };
}

// Downloads: download/downloadModel.ts (resumable HTTP range transfers, checked before they land here).
