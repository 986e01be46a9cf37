import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { downloadModel, findLocalModel, importModel, listLocalModels } from '../../../src-main/providers/localModels.ts';
import { writeTinyGguf } from '../../fixtures/makeTinyGguf.ts';
import { sha256File } from '../../support/fileHash.ts';
import { createTempDir, removeTempDirs } from '../../support/tempDir.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const MiB = 1024 * 1024;
const tempDir = useTempDirs();

/** ~11 MB: more than two of the downloader's 5 MiB chunks, so a resume can skip one. */
let bigModel: string;
let bigModelSha: string;
let tinyModel: string;

beforeAll(() => {
  const dir = createTempDir('sc-models-src-');
  bigModel = join(dir, 'big.gguf');
  writeTinyGguf(bigModel, { hyperparameters: { embeddingLength: 256, blockCount: 4, feedForwardLength: 512 } });
  bigModelSha = sha256File(bigModel);
  tinyModel = join(dir, 'tiny.gguf');
  writeTinyGguf(tinyModel);
});

afterAll(() => removeTempDirs());

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe('listLocalModels / findLocalModel', () => {
  it('lists *.gguf in every folder (one sub-folder level), first folder winning, with header details or a problem', async () => {
    const first = tempDir();
    const second = tempDir();
    writeTinyGguf(join(first, 'a.gguf'), { name: 'a-first' });
    mkdirSync(join(first, 'sub'));
    writeTinyGguf(join(first, 'sub', 'b.gguf'));
    writeFileSync(join(first, 'broken.gguf'), 'not a model');
    writeFileSync(join(first, 'notes.txt'), 'ignored');
    writeTinyGguf(join(first, '.hidden.gguf'));
    writeFileSync(join(first, 'part.gguf.ipull'), 'in-progress download');
    writeTinyGguf(join(first, 'split-00002-of-00002.gguf'));
    writeTinyGguf(join(second, 'a.gguf'), { name: 'a-second' });
    writeTinyGguf(join(second, 'c.gguf'));

    const models = await listLocalModels([first, second, join(second, 'missing')]);
    expect(models.map((model) => model.id)).toEqual(['a.gguf', 'broken.gguf', 'sub/b.gguf', 'c.gguf']);
    expect(models[0]).toMatchObject({ path: join(first, 'a.gguf'), info: { name: 'a-first', architecture: 'llama', quantization: 'F32', contextLength: 2048 } });
    expect(models[1]).toMatchObject({ sizeBytes: 11, problem: expect.stringContaining('is not a GGUF file') });
    expect(models[1]?.info).toBeUndefined();

    expect(await findLocalModel([first, second], 'sub/b.gguf')).toBe(join(first, 'sub', 'b.gguf'));
    expect(await findLocalModel([first, second], 'c.gguf')).toBe(join(second, 'c.gguf'));
    expect(await findLocalModel([first, second], 'a.gguf')).toBe(join(first, 'a.gguf'));
    for (const unsafe of ['../a.gguf', 'sub/../a.gguf', join(first, 'a.gguf'), 'sub\\b.gguf', 'notes.txt', '', 'sub//b.gguf']) {
      expect(await findLocalModel([first, second], unsafe)).toBeUndefined();
    }
  });
});

describe('importModel', () => {
  it('copies a GGUF into the models folder with its sha256 and progress, leaving no temp file', async () => {
    const dest = join(tempDir(), 'models');
    const progress: { copiedBytes: number; totalBytes: number }[] = [];
    const imported = await importModel(bigModel, dest, { onProgress: (p) => progress.push(p) });
    const size = readFileSync(bigModel).length;
    expect(imported).toEqual({ id: 'big.gguf', path: join(dest, 'big.gguf'), sha256: bigModelSha, sizeBytes: size });
    expect(sha256File(imported.path)).toBe(bigModelSha);
    expect(readdirSync(dest)).toEqual(['big.gguf']);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ copiedBytes: size, totalBytes: size });
  });

  it('is atomic: a cancelled copy leaves nothing behind', async () => {
    const dest = tempDir();
    const controller = new AbortController();
    const error = await providerError(
      importModel(bigModel, dest, {
        signal: controller.signal,
        onProgress: ({ copiedBytes }) => {
          if (copiedBytes >= MiB) controller.abort();
        },
      }),
    );
    expect(error.kind).toBe('cancelled');
    expect(readdirSync(dest)).toEqual([]);
  });

  it('refuses a file that is not GGUF, and never overwrites an existing model', async () => {
    const dir = tempDir();
    const notes = join(dir, 'notes.gguf');
    writeFileSync(notes, 'just text, no magic');
    const dest = join(dir, 'models');
    // What the user chose is wrong, not the provider: typed errors of their own.
    await expect(importModel(notes, dest)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('is not a GGUF model file') });
    expect(existsSync(dest)).toBe(false);

    await importModel(tinyModel, dest);
    await expect(importModel(tinyModel, dest)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already exists') });
    expect(readdirSync(dest)).toEqual(['tiny.gguf']);
  });
});

interface LoggedRequest {
  method: string;
  url: string;
  range: string | undefined;
}

/**
 * Loopback file server with HTTP Range support. `stallNextRangeAfter`: the next ranged response
 * that covers that file offset sends the bytes before it and then hangs (an interrupted link).
 */
class ModelServer {
  readonly requests: LoggedRequest[] = [];
  stallNextRangeAfter: number | undefined;
  private readonly server: Server;
  private readonly files: Record<string, Buffer>;

  constructor(files: Record<string, Buffer>) {
    this.files = files;
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const range = req.headers.range;
    this.requests.push({ method: req.method ?? 'GET', url: req.url ?? '', range });
    const body = this.files[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    const match = range === undefined ? null : /^bytes=(\d+)-(\d*)$/.exec(range);
    if (match === null) {
      res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const start = Number(match[1]);
    const end = match[2] === '' ? body.length - 1 : Math.min(Number(match[2]), body.length - 1);
    res.writeHead(206, {
      'content-length': end - start + 1,
      'content-range': `bytes ${start}-${end}/${body.length}`,
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
    });
    const stallAt = this.stallNextRangeAfter;
    if (stallAt === undefined || stallAt <= start || stallAt > end) {
      res.end(body.subarray(start, end + 1));
      return;
    }
    this.stallNextRangeAfter = undefined;
    res.write(body.subarray(start, stallAt)); // and never finish
  }
}

describe('downloadModel (loopback HTTP server)', () => {
  let server: ModelServer;
  let baseUrl: string;

  beforeAll(async () => {
    server = new ModelServer({ '/big.gguf': readFileSync(bigModel), '/notes.gguf': Buffer.from('not a model, just text') });
    baseUrl = await server.start();
    return () => server.stop();
  });

  it('downloads a GGUF with progress and returns its sha256', async () => {
    const dest = tempDir();
    const progress: { downloadedBytes: number; totalBytes: number }[] = [];
    const downloaded = await downloadModel(`${baseUrl}/big.gguf`, dest, { onProgress: (p) => progress.push(p) });
    const size = readFileSync(bigModel).length;
    expect(downloaded).toEqual({ id: 'big.gguf', path: join(dest, 'big.gguf'), sha256: bigModelSha, sizeBytes: size });
    expect(readdirSync(dest)).toEqual(['big.gguf']);
    expect(progress.at(-1)).toEqual({ downloadedBytes: size, totalBytes: size });
  });

  it('resumes an interrupted download from the last complete chunk', async () => {
    const dest = tempDir();
    const size = readFileSync(bigModel).length;
    server.stallNextRangeAfter = 6 * MiB;
    const controller = new AbortController();
    let stalled = false;
    const first = downloadModel(`${baseUrl}/big.gguf`, dest, {
      signal: controller.signal,
      onProgress: ({ downloadedBytes }) => {
        if (downloadedBytes >= 6 * MiB) stalled = true;
      },
    });
    // Interrupt once the link has stalled and the downloader has recorded its first chunk as
    // finished (ipull appends its resume state as JSON after the file's full size).
    const inProgress = join(dest, '.downloads', 'big.gguf.ipull');
    const firstChunkSaved = () => {
      if (!existsSync(inProgress) || statSync(inProgress).size <= size) return false;
      const state = JSON.parse(readFileSync(inProgress).subarray(size).toString('utf8')) as { chunks: number[] };
      return state.chunks[0] === 2; // ChunkStatus.COMPLETE
    };
    while (!stalled || !firstChunkSaved()) await delay(10);
    controller.abort();
    expect((await providerError(first)).kind).toBe('cancelled');
    // Kept for resuming, in the hidden staging folder: nothing partial is listed as a model.
    expect(readdirSync(dest)).toEqual(['.downloads']);
    expect(readdirSync(join(dest, '.downloads'))).toEqual(['big.gguf.ipull']);
    expect(await listLocalModels([dest])).toEqual([]);

    server.requests.length = 0;
    const resumed = await downloadModel(`${baseUrl}/big.gguf`, dest);
    const ranged = server.requests.filter((request) => request.range !== undefined);
    // The first 5 MiB chunk is not fetched again.
    const fetched = ranged.map((request) => /^bytes=(\d+)-(\d+)$/.exec(request.range ?? '')).map((match) => [Number(match?.[1]), Number(match?.[2])] as const);
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.every(([start]) => start >= 5 * MiB)).toBe(true);
    expect(fetched.reduce((sum, [start, end]) => sum + end - start + 1, 0)).toBeLessThanOrEqual(size - 5 * MiB);
    expect(resumed.sha256).toBe(bigModelSha);
    expect(readdirSync(dest)).toEqual(['big.gguf']);
  });

  it('deletes and refuses a download that is not GGUF; a 404 is "not-found"', async () => {
    const dest = tempDir();
    const refused = await providerError(downloadModel(`${baseUrl}/notes.gguf`, dest));
    expect(refused.kind).toBe('bad-request');
    expect(readdirSync(dest)).toEqual([]);

    const missing = await providerError(downloadModel(`${baseUrl}/missing.gguf`, dest));
    expect(missing.kind).toBe('not-found');
    expect(missing.status).toBe(404);
  });
});
