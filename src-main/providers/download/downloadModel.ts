import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { AppError } from '../../../src-shared/AppError.ts';
import { fsErrorToAppError } from '../../paths/fsErrorToAppError.ts';
import { keepPrivate, privateFolderMode } from '../../paths/keepPrivate.ts';
import { DownloadWatch, downloadHost, networkErrorCode, type DownloadTimeouts } from '../DownloadWatch.ts';
import { ProviderError } from '../ProviderError.ts';
import { hasGgufMagic } from '../ggufInfo.ts';
import { appendBody } from './appendBody.ts';
import { checkDiskSpace, statfsFreeSpace, type FreeSpace } from './checkDiskSpace.ts';
import { downloadStagingDir, readSidecar, removeStaged, stagedPaths, writeSidecar, type DownloadSidecar, type StagedPaths } from './downloadSidecar.ts';
import { HttpStatusError, openRange, type RangeAnswer } from './openRange.ts';
import { modelFileName, resolveDownloadSource, type DownloadSource, type ResolveOptions } from './resolveDownloadSource.ts';
import { FileHasher } from './FileHasher.ts';
import { TransferRate } from './TransferRate.ts';

export interface DownloadProgressInfo {
  downloadedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  secondsLeft: number | null;
}

export interface DownloadModelOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgressInfo) => void;
  /** Called once the file name is known, before the staging folder is touched: throws to refuse it (another download writes that file). */
  claim?: (fileName: string) => void;
  /** Called once the file name is known, before any byte moves (the sidecar is on disk then). */
  onStaged?: (sidecar: DownloadSidecar) => void;
  /** Name to save as; by default the last part of the address. */
  fileName?: string;
  /** What the finished file must be (from the catalogue); a server's announced size or sha256 is used when these are absent. */
  expectedBytes?: number;
  sha256?: string;
  /** Kept across pauses and restarts in the sidecar; new downloads get a random one. */
  downloadId?: string;
  /** Extra request headers (e.g. Authorization for a gated Hugging Face model). */
  headers?: Record<string, string>;
  providerId?: string;
  timeouts?: DownloadTimeouts;
  /** Dropped connections retried within one call (each asks only for the rest). Default 3. */
  retries?: number;
  freeSpace?: FreeSpace;
  huggingFaceEndpoint?: string;
}

export interface DownloadedModel {
  id: string;
  path: string;
  sha256: string;
  sizeBytes: number;
}


function resolveOptions(options: DownloadModelOptions): ResolveOptions {
  return {
    ...(options.huggingFaceEndpoint ? { huggingFaceEndpoint: options.huggingFaceEndpoint } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  };
}

const sizeOf = (path: string) => stat(path).then((s) => s.size, () => 0);

/**
 * Downloads one GGUF file into `destDir` over HTTP range requests, resumable across pauses and
 * app restarts. The bytes land in `destDir/.downloads/NAME.part` beside a sidecar
 * (downloadSidecar.ts); a later call for the same address continues from the partial file's
 * size (`Range`, with `If-Range` on the ETag: a 200 answer restarts cleanly). Before the first
 * byte: the disk must hold the rest plus a margin (checkDiskSpace). A dropped connection is
 * retried, asking only for the rest. When complete, the size (and the sha256, when the caller or
 * Hugging Face's X-Linked-Etag gives one) must match and the file must start with "GGUF", or it
 * is deleted and refused; then it is renamed into `destDir`. Aborting `signal` pauses: partial
 * and sidecar stay (ProviderError 'cancelled'); the caller removes them to cancel.
 */
export async function downloadModel(uri: string, destDir: string, options: DownloadModelOptions = {}): Promise<DownloadedModel> {
  const providerId = options.providerId ?? 'llama-cpp';
  const { signal } = options;
  const watch = new DownloadWatch(uri, providerId, options.timeouts);
  const paused = (cause: unknown) => new ProviderError(providerId, 'cancelled', `downloading ${uri} was paused`, { cause });
  if (signal?.aborted) throw paused(signal.reason);
  const staging = join(destDir, downloadStagingDir);
  await mkdir(staging, { recursive: true, mode: privateFolderMode });
  keepPrivate(destDir);
  keepPrivate(staging);
  try {
    const source = await watch
      .connect(resolveDownloadSource(uri, resolveOptions(options)), signal, () => undefined)
      .catch((error: unknown) => {
        throw signal?.aborted ? paused(error) : toDownloadError(watch, providerId, uri, error);
      });
    const fileName = options.fileName === undefined ? source.fileName : modelFileName(options.fileName, uri);
    options.claim?.(fileName);
    const finalPath = join(destDir, fileName);
    if (await stat(finalPath).then(() => true, () => false)) {
      throw new ProviderError(providerId, 'conflict', `${finalPath} already exists; remove it first to download ${uri} again`);
    }
    const paths = stagedPaths(staging, fileName);
    return await transfer({ uri, source, fileName, finalPath, destDir, paths, providerId, watch, options, paused });
  } finally {
    await rmdir(staging).catch(() => undefined); // removed only when empty: paused downloads stay
  }
}

interface TransferContext {
  uri: string;
  source: DownloadSource;
  fileName: string;
  finalPath: string;
  destDir: string;
  paths: StagedPaths;
  providerId: string;
  watch: DownloadWatch;
  options: DownloadModelOptions;
  paused: (cause: unknown) => ProviderError;
}

async function transfer(context: TransferContext): Promise<DownloadedModel> {
  const { uri, fileName, paths, options } = context;
  const previous = await readSidecar(paths.sidecar);
  const same = previous?.uri === uri ? previous : undefined;
  if (same === undefined) await removeStaged(paths); // nothing, or another file under this name: start over
  const sidecar: DownloadSidecar = {
    version: 1,
    downloadId: options.downloadId ?? same?.downloadId ?? randomUUID(),
    uri,
    fileName,
    expectedBytes: options.expectedBytes ?? same?.expectedBytes ?? null,
    sha256: options.sha256?.toLowerCase() ?? same?.sha256 ?? null,
    totalBytes: same?.totalBytes ?? null,
    etag: same?.etag ?? null,
    startedAt: same?.startedAt ?? new Date().toISOString(),
  };
  const hasher = new FileHasher(paths.partial);
  try {
    return await transferTo(context, sidecar, hasher);
  } finally {
    await hasher.close();
  }
}

async function transferTo(context: TransferContext, sidecar: DownloadSidecar, hasher: FileHasher): Promise<DownloadedModel> {
  const { uri, source, fileName, paths, providerId, watch, options, paused } = context;
  const { signal } = options;
  const freeSpace = options.freeSpace ?? statfsFreeSpace;
  // A resumed file's bytes are hashed on the hasher's thread while the rest downloads.
  const state = { done: await sizeOf(paths.partial) };
  hasher.written(state.done);
  const restart = () => {
    state.done = 0;
    hasher.reset();
  };
  const headers = options.headers ? { headers: options.headers } : {};
  // The size first (the catalogue's, or the server's answer to HEAD), so a disk without room is refused before any byte moves.
  let total = sidecar.expectedBytes;
  let linkedSha256: string | null = null;
  if (total === null) {
    const probe = await watch.connect(probeSize(source.url, { ...headers, ...(signal ? { signal } : {}) }), signal, () => undefined).catch((error: unknown) => {
      throw signal?.aborted ? paused(error) : toDownloadError(watch, providerId, uri, error);
    });
    total = probe.totalBytes;
    linkedSha256 = probe.linkedSha256;
  }
  if (total !== null) await checkDiskSpace(context.destDir, Math.max(0, total - state.done), fileName, freeSpace);
  sidecar.totalBytes = total;
  await writeSidecar(paths.sidecar, sidecar);
  options.onStaged?.(sidecar);
  const rate = new TransferRate();
  const report = () => options.onProgress?.({ downloadedBytes: state.done, totalBytes: total, bytesPerSecond: rate.bytesPerSecond(), secondsLeft: rate.secondsLeft(state.done, total) });
  rate.add(state.done);
  report();
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt += 1) {
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let stalledAt: number | undefined;
    let idle: ReturnType<DownloadWatch['idle']> | undefined;
    try {
      const answer: RangeAnswer = await watch.connect(openRange(source.url, state.done, sidecar.etag, { ...headers, signal: stop.signal }), signal, (late) => late.body?.destroy());
      // Bytes are waited for only once the server has answered (before that: the connect timeout).
      idle = watch.idle((bytes) => {
        stalledAt = bytes;
        stop.abort(new Error('stalled'));
      });
      linkedSha256 = answer.linkedSha256 ?? linkedSha256;
      if (answer.status === 416 && answer.totalBytes === state.done && state.done > 0) break; // complete already
      if (answer.status === 416 || (answer.status === 206 && answer.start !== state.done)) {
        // A range answer that does not continue the partial file: start over, once per retry.
        answer.body?.destroy();
        await rm(paths.partial, { force: true });
        restart();
        if (attempt >= retries) throw new ProviderError(providerId, 'server', `${downloadHost(uri)} answers range requests for ${uri} wrongly (status ${answer.status}); the download cannot continue`);
        continue;
      }
      // 200 to a range request: the server ignored the range or the file changed since (If-Range). Start over with this answer.
      if (answer.status === 200 && state.done > 0) restart();
      if (sidecar.expectedBytes !== null && answer.totalBytes !== null && answer.totalBytes !== sidecar.expectedBytes) {
        answer.body?.destroy();
        await removeStaged(paths);
        throw new ProviderError(providerId, 'invalid-output', `${uri} is ${answer.totalBytes} bytes on the server, but ${sidecar.expectedBytes} bytes were expected: refused (nothing was kept)`);
      }
      if (answer.totalBytes !== null && answer.totalBytes !== total) {
        total = answer.totalBytes; // the file changed (a 200 after If-Range): its new size needs room too
        await checkDiskSpace(context.destDir, total - state.done, fileName, freeSpace).catch(async (error: unknown) => {
          answer.body?.destroy();
          if (state.done === 0) await removeStaged(paths); // nothing was fetched: nothing to resume
          throw error;
        });
      }
      if (answer.etag !== sidecar.etag || total !== sidecar.totalBytes) {
        Object.assign(sidecar, { etag: answer.etag, totalBytes: total });
        await writeSidecar(paths.sidecar, sidecar);
      }
      if (answer.body !== null) {
        const base = state.done;
        await appendBody(answer.body, paths.partial, {
          mode: base === 0 ? 'truncate' : 'append',
          onBytes: (added) => {
            state.done = base + added;
            hasher.written(state.done);
            idle?.saw(state.done);
            rate.add(state.done);
            report();
          },
        });
      }
      if (total === null || state.done >= total) break;
      throw new EndedEarly(); // retried: it asks for the rest
    } catch (error) {
      if (signal?.aborted) throw paused(error);
      if (stalledAt !== undefined) throw watch.unreachable('idle', stalledAt);
      if (error instanceof AppError || error instanceof HttpStatusError) throw toDownloadError(watch, providerId, uri, error);
      const fsCode = (error as { code?: unknown }).code;
      if (networkErrorCode(error) === undefined && typeof fsCode === 'string' && /^E[A-Z]+$/.test(fsCode)) throw fsErrorToAppError(error, paths.partial, 'write');
      const retryable = networkErrorCode(error) !== undefined || error instanceof EndedEarly;
      if (!retryable || attempt >= retries) throw toDownloadError(watch, providerId, uri, error, state.done);
      state.done = await sizeOf(paths.partial); // the file is the truth: a batch may have landed in part
      hasher.written(state.done);
      await delay(250 * (attempt + 1), undefined, signal ? { signal } : {}).catch((cause: unknown) => {
        throw paused(cause);
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      idle?.stop();
      stop.abort(); // a request abandoned by the connect timeout is ended too
    }
  }
  return finish(context, { size: sidecar.expectedBytes ?? total, sha256: sidecar.sha256 ?? linkedSha256 }, hasher);
}

/**
 * The file's size (and Hugging Face's sha256) from a HEAD request. Any HTTP refusal answers
 * nothing here (a URL signed for GET refuses HEAD with 403; a missing file fails on the GET with
 * its own words); then the disk is checked on the GET's headers, still before any byte is kept.
 * A host that cannot be reached fails here, in words.
 */
async function probeSize(url: string, options: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<{ totalBytes: number | null; linkedSha256: string | null }> {
  try {
    const answer = await openRange(url, 0, null, { ...options, method: 'HEAD' });
    return { totalBytes: answer.totalBytes, linkedSha256: answer.linkedSha256 };
  } catch (error) {
    if (error instanceof HttpStatusError) return { totalBytes: null, linkedSha256: null };
    throw error;
  }
}

class EndedEarly extends Error {
  constructor() {
    super('the server ended the answer early');
  }
}

/** The finished file against what it must be (size; sha256 when known) and GGUF's magic, then into the models folder. */
async function finish(context: TransferContext, expected: { size: number | null; sha256: string | null }, hasher: FileHasher): Promise<DownloadedModel> {
  const { uri, paths, providerId, finalPath, fileName } = context;
  const size = await sizeOf(paths.partial);
  if (expected.size !== null && size !== expected.size) {
    await removeStaged(paths);
    throw new ProviderError(providerId, 'invalid-output', `${uri} arrived with ${size} bytes, but ${expected.size} were expected: refused and deleted`);
  }
  const sha256 = await hasher.digest(size);
  if (expected.sha256 !== null && sha256 !== expected.sha256) {
    await removeStaged(paths);
    throw new ProviderError(providerId, 'invalid-output', `${uri} failed its checksum (sha256 ${sha256}, expected ${expected.sha256}): the file is damaged or not the one published; it was deleted`);
  }
  if (!(await hasGgufMagic(paths.partial, providerId))) {
    await removeStaged(paths);
    throw new ProviderError(providerId, 'bad-request', `${uri} is not a GGUF file (the download does not start with "GGUF"); it was deleted`);
  }
  keepPrivate(paths.partial);
  await rename(paths.partial, finalPath);
  await rm(paths.sidecar, { force: true });
  return { id: fileName, path: finalPath, sha256, sizeBytes: size };
}

function toDownloadError(watch: DownloadWatch, providerId: string, uri: string, error: unknown, downloadedBytes = 0): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HttpStatusError) {
    const status = error.statusCode;
    const kind = status === 404 ? 'not-found' : status === 401 || status === 403 ? 'auth' : status === 429 ? 'rate-limited' : status >= 500 ? 'server' : 'bad-request';
    const hint = status === 401 || status === 403 ? ' (a gated model: accept its licence on Hugging Face and give a token)' : '';
    return new ProviderError(providerId, kind, `could not download ${uri}: ${error.message}${hint}`, { cause: error, status });
  }
  if (downloadedBytes === 0) return watch.offline(error);
  return new ProviderError(providerId, 'connection', `the connection dropped while downloading ${uri} at ${(downloadedBytes / 1024 ** 2).toFixed(1)} MiB (${(error as Error).message}); it is paused: resume it to fetch the rest`, { cause: error });
}
