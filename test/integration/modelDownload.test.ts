import { createHash, randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/AppError.ts';
import { EventBus } from '../../src-main/events/EventBus.ts';
import { ModelService } from '../../src-main/providers/ModelService.ts';
import { ProviderError } from '../../src-main/providers/ProviderError.ts';
import type { FreeSpace } from '../../src-main/providers/download/checkDiskSpace.ts';
import { downloadModel, type DownloadProgressInfo } from '../../src-main/providers/download/downloadModel.ts';
import { startRangeFileServer, type RangeFileServer } from '../support/rangeFileServer.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

const MiB = 1024 * 1024;
const size = 24 * MiB + 4321;

/** A "model": GGUF magic, then random bytes (nothing compresses or repeats). */
function modelBody(bytes: number): Buffer {
  const body = randomFillSync(Buffer.alloc(bytes));
  body.write('GGUF', 0, 'latin1');
  return body;
}

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

interface Progress {
  downloadId: string;
  state: string;
  downloadedBytes: number;
  totalBytes: number | null;
  resumable?: boolean;
  message?: string;
}

function service(modelsDir: string, extra: { freeSpace?: FreeSpace } = {}): { models: ModelService; events: Progress[] } {
  const bus = new EventBus();
  const events: Progress[] = [];
  bus.subscribe((name, payload) => {
    if (name === 'models.downloadProgress') events.push(payload as Progress);
  });
  return { models: new ModelService({ bus, modelsDir, modelDirs: [modelsDir], progressIntervalMs: 0, ...extra }), events };
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('model downloads over HTTP range requests (loopback server)', () => {
  const tempDir = useTempDirs();
  let server: RangeFileServer;
  let body: Buffer;

  beforeAll(async () => {
    body = modelBody(size);
    server = await startRangeFileServer({
      '/model.gguf': { body },
      '/Qwen/Tiny-GGUF/resolve/main/tiny-q4_k_m.gguf': { body, redirect: true, linkedSha256: true },
      // Hugging Face's manifest for a quantisation tag names the file (asked as llama.cpp asks).
      '/v2/Qwen/Tiny-GGUF/manifests/Q4_K_M': { body: Buffer.from(JSON.stringify({ ggufFile: { rfilename: 'tiny-q4_k_m.gguf' } })) },
    });
  });
  afterAll(() => server.close());

  it('downloads with bytes, speed and time left, checks the sha256 and leaves only the model', async () => {
    const dest = tempDir('sc-dl-');
    server.resetCounters();
    const progress: DownloadProgressInfo[] = [];
    const model = await downloadModel(`${server.url}/model.gguf`, dest, { sha256: sha256(body), expectedBytes: size, onProgress: (p) => progress.push(p) });
    expect(model).toEqual({ id: 'model.gguf', path: join(dest, 'model.gguf'), sha256: sha256(body), sizeBytes: size });
    expect(readdirSync(dest)).toEqual(['model.gguf']);
    expect(progress.at(-1)).toMatchObject({ downloadedBytes: size, totalBytes: size });
    // Speed and time left are measured over the last seconds (TransferRate's own test); here they are reported with every update.
    expect(progress.every((p) => typeof p.bytesPerSecond === 'number' && 'secondsLeft' in p)).toBe(true);
    expect(server.bytesServed()).toBe(size);
  });

  it('a connection the server drops mid-way is resumed from where it stopped: at most 1.05 x the file served', async () => {
    const dest = tempDir('sc-dl-');
    server.resetCounters();
    server.dropNextAfter = Math.floor(size * 0.45);
    const model = await downloadModel(`${server.url}/model.gguf`, dest, { sha256: sha256(body) });
    expect(model.sha256).toBe(sha256(body));
    expect(server.requests[0]).toBe('full');
    expect(server.requests[1]).toMatch(/^bytes=\d+-$/);
    const resumedFrom = Number(/^bytes=(\d+)-$/.exec(server.requests[1] ?? '')?.[1]);
    expect(resumedFrom).toBeGreaterThan(size * 0.4);
    expect(server.bytesServed()).toBeLessThanOrEqual(size * 1.05);
  });

  it('paused by the user, listed again after a restart and resumed: only the rest is fetched', async () => {
    const dest = tempDir('sc-dl-');
    server.resetCounters();
    server.stallNextAfter = Math.floor(size * 0.6); // the link slows to nothing at 60 %
    const first = service(dest);
    const { downloadId, done } = first.models.download(`${server.url}/model.gguf`, { sha256: sha256(body) });
    while ((first.events.at(-1)?.downloadedBytes ?? 0) < Math.floor(size * 0.6)) await delay(5);
    first.models.pause(downloadId);
    await done;
    expect(first.events.at(-1)).toMatchObject({ state: 'paused', resumable: true });
    expect(readdirSync(join(dest, '.downloads')).sort()).toEqual(['model.gguf.download.json', 'model.gguf.part']);
    expect(await first.models.list()).toEqual([]); // nothing partial is listed as a model

    const second = service(dest); // a new process: it knows only what is on disk
    expect(await second.models.downloads()).toEqual([
      expect.objectContaining({ downloadId, state: 'paused', downloadedBytes: Math.floor(size * 0.6), totalBytes: size, fileName: 'model.gguf' }),
    ]);
    await (await second.models.resume(downloadId)).done;
    expect(second.events.at(-1)).toMatchObject({ downloadId, state: 'done', downloadedBytes: size });
    expect(server.requests).toEqual(['full', `bytes=${Math.floor(size * 0.6)}-`]);
    expect(server.bytesServed()).toBeLessThanOrEqual(size * 1.05);
    expect(createHash('sha256').update(readFileSync(join(dest, 'model.gguf'))).digest('hex')).toBe(sha256(body));
    expect(existsSync(join(dest, '.downloads'))).toBe(false);
  });

  it('a file that changed on the server since the pause comes back whole (If-Range), never spliced', async () => {
    const dest = tempDir('sc-dl-');
    const changing = { body: modelBody(4 * MiB), etag: 'v1' };
    server.files.set('/changing.gguf', changing);
    server.stallNextAfter = MiB;
    const { models, events } = service(dest);
    const { downloadId, done } = models.download(`${server.url}/changing.gguf`);
    while ((events.at(-1)?.downloadedBytes ?? 0) < MiB) await delay(5);
    models.pause(downloadId);
    await done;
    const replaced = { body: modelBody(4 * MiB), etag: 'v2' };
    server.files.set('/changing.gguf', replaced);
    server.resetCounters();
    await (await models.resume(downloadId)).done;
    expect(server.requests).toEqual(['bytes=1048576- (changed: sent whole)']); // asked for the rest, got the new file whole
    expect(sha256(readFileSync(join(dest, 'changing.gguf')))).toBe(sha256(replaced.body));
  });

  it('a wrong checksum is refused and the partial file removed', async () => {
    const dest = tempDir('sc-dl-');
    const refused = await rejection(downloadModel(`${server.url}/model.gguf`, dest, { sha256: '0'.repeat(64) }));
    expect(refused).toBeInstanceOf(ProviderError);
    expect((refused as ProviderError).kind).toBe('invalid-output');
    expect(refused.message).toContain('failed its checksum');
    expect(readdirSync(dest)).toEqual([]);
  });

  it('a Hugging Face address (a file, or a quantisation tag through the manifest) resolves through its redirect, and the sha256 it announces (X-Linked-Etag) is checked', async () => {
    const dest = tempDir('sc-dl-');
    const model = await downloadModel('hf:Qwen/Tiny-GGUF/tiny-q4_k_m.gguf', dest, { huggingFaceEndpoint: server.url });
    expect(model).toMatchObject({ id: 'tiny-q4_k_m.gguf', sha256: sha256(body) });
    const byTag = await downloadModel('hf:Qwen/Tiny-GGUF:Q4_K_M', tempDir('sc-dl-'), { huggingFaceEndpoint: server.url });
    expect(byTag).toMatchObject({ id: 'tiny-q4_k_m.gguf', sha256: sha256(body) });
  });

  it('a disk without room is refused before the first byte (fs.statfs reporting 10 MiB free)', async () => {
    const dest = tempDir('sc-dl-');
    server.resetCounters();
    const freeSpace: FreeSpace = () => Promise.resolve(10 * MiB);
    const { models, events } = service(dest, { freeSpace });
    await models.download(`${server.url}/model.gguf`).done;
    expect(events.at(-1)?.state).toBe('failed');
    expect(events.at(-1)?.message).toMatch(/^Not enough disk space to download model\.gguf: it needs 24\.0 MiB .* has 10\.0 MiB free/);
    expect(server.bytesServed()).toBe(0);
    expect(readdirSync(dest)).toEqual([]);
    // A server that refuses HEAD (a URL signed for GET): refused on the GET's headers, nothing kept.
    server.files.set('/signed.gguf', { body, refuseHead: true });
    await models.download(`${server.url}/signed.gguf`).done;
    expect(events.at(-1)?.message).toMatch(/^Not enough disk space to download signed\.gguf/);
    expect(events.at(-1)?.resumable).toBe(false);
    expect(readdirSync(dest)).toEqual([]);
    // With the size known beforehand (the catalogue), no request is made at all.
    server.resetCounters();
    await models.download(`${server.url}/model.gguf`, { expectedBytes: size }).done;
    expect(server.requests).toEqual([]);
  });

  it.runIf(process.getuid?.() === 0)('a real full disk (a 16 MiB tmpfs) is refused before start', async () => {
    const { execFileSync } = await import('node:child_process');
    const mount = tempDir('sc-tmpfs-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mount]);
    } catch {
      return; // a container without mount rights: the injected statfs above covers the check
    }
    try {
      const dest = join(mount, 'models');
      mkdirSync(dest);
      server.resetCounters();
      const refused = await rejection(downloadModel(`${server.url}/model.gguf`, dest));
      expect(refused.code).toBe('IO_FAILED');
      expect(refused.message).toMatch(/Not enough disk space .* has 1[56]\.\d MiB free/);
      expect(server.bytesServed()).toBe(0);
      expect(readdirSync(dest)).toEqual([]);
    } finally {
      execFileSync('umount', [mount]);
    }
  });

  it('a host nothing answers on: the offline message names it and says what to do', async () => {
    const port = await closedPort();
    const refused = await rejection(downloadModel(`http://127.0.0.1:${port}/model.gguf`, tempDir('sc-dl-')));
    expect(refused.message).toContain(`cannot reach 127.0.0.1:${port}: download the file on a connected machine and import it`);
    expect(refused.message).toContain('connection refused');
    const hf = await rejection(downloadModel('hf:Qwen/Tiny-GGUF/tiny-q4_k_m.gguf', tempDir('sc-dl-'), { huggingFaceEndpoint: `http://127.0.0.1:${port}` }));
    expect(hf.message).toContain('cannot reach huggingface.co: download the file on a connected machine and import it');
  });

  it('a second address saving under the same file name while the first runs is refused, the first is untouched', async () => {
    const dest = tempDir('sc-dl-');
    server.files.set('/mirror/model.gguf', { body });
    server.stallNextAfter = MiB;
    const { models, events } = service(dest);
    const first = models.download(`${server.url}/model.gguf`);
    while ((events.at(-1)?.downloadedBytes ?? 0) < MiB) await delay(5);
    await models.download(`${server.url}/mirror/model.gguf`).done;
    const refused = events.filter((event) => event.downloadId !== first.downloadId).at(-1);
    expect(refused).toMatchObject({ state: 'failed', resumable: false });
    expect(refused?.message).toContain(`model.gguf is being downloaded already from ${server.url}/model.gguf`);
    expect(readdirSync(join(dest, '.downloads')).sort()).toEqual(['model.gguf.download.json', 'model.gguf.part']);
    await models.cancel(first.downloadId);
    await first.done;
  });

  it('cancel deletes the partial file, running or paused', async () => {
    const dest = tempDir('sc-dl-');
    server.stallNextAfter = MiB;
    const { models, events } = service(dest);
    const { downloadId, done } = models.download(`${server.url}/model.gguf`);
    while ((events.at(-1)?.downloadedBytes ?? 0) < MiB) await delay(5);
    await models.cancel(downloadId);
    await done;
    expect(events.at(-1)).toMatchObject({ state: 'cancelled', resumable: false });
    expect(readdirSync(dest)).toEqual([]);
    expect(await models.downloads()).toEqual([]);
  });

  it('a download not GGUF is deleted and refused; a missing file is not-found', async () => {
    server.files.set('/notes.gguf', { body: Buffer.from('just text, not a model') });
    const dest = tempDir('sc-dl-');
    const refused = await rejection(downloadModel(`${server.url}/notes.gguf`, dest));
    expect((refused as ProviderError).kind).toBe('bad-request');
    expect(readdirSync(dest)).toEqual([]);
    const missing = await rejection(downloadModel(`${server.url}/missing.gguf`, dest));
    expect((missing as ProviderError).kind).toBe('not-found');
    expect(statSync(dest).isDirectory()).toBe(true);
  });
});
