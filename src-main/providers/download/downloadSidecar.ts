import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { privateFileMode } from '../../paths/keepPrivate.ts';

/** Hidden (never listed) folder inside the models folder where downloads run and wait to resume. */
export const downloadStagingDir = '.downloads';

const sidecarSuffix = '.download.json';
const partialSuffix = '.part';

/**
 * What a paused download needs to carry on after the app restarts, kept beside its partial file
 * (`.downloads/NAME.gguf.part` + `.downloads/NAME.gguf.download.json`): the address, the file it
 * becomes, what the finished file must be (size, sha256 when known), and the server's validator
 * (ETag) so a resume asks for the rest only of the same file (If-Range). The bytes done are the
 * partial file's size, read when needed: the sidecar is written at start and on headers, not
 * per chunk.
 */
export const downloadSidecarSchema = z
  .object({
    version: z.literal(1),
    downloadId: z.string().min(1).max(100),
    uri: z.string().min(1).max(2048),
    fileName: z.string().min(1).max(200),
    /** What the caller requires (the catalogue): a different file is refused. */
    expectedBytes: z.number().int().nonnegative().nullable(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
    /** What the server last said the file's size is (for progress after a restart). */
    totalBytes: z.number().int().nonnegative().nullable(),
    etag: z.string().max(300).nullable(),
    startedAt: z.string(),
  })
  .strict();
export type DownloadSidecar = z.infer<typeof downloadSidecarSchema>;

export interface StagedPaths {
  partial: string;
  sidecar: string;
}

export function stagedPaths(stagingDir: string, fileName: string): StagedPaths {
  return { partial: join(stagingDir, `${fileName}${partialSuffix}`), sidecar: join(stagingDir, `${fileName}${sidecarSuffix}`) };
}

export async function readSidecar(path: string): Promise<DownloadSidecar | undefined> {
  try {
    return downloadSidecarSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return undefined; // missing or damaged: the download starts over
  }
}

/** Written to a temp sibling and renamed, so a crash never leaves half a sidecar. */
export async function writeSidecar(path: string, sidecar: DownloadSidecar): Promise<void> {
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, JSON.stringify(sidecar), { mode: privateFileMode });
  await rename(temp, path);
}

export async function removeStaged(paths: StagedPaths): Promise<void> {
  await rm(paths.partial, { force: true });
  await rm(paths.sidecar, { force: true });
}

export interface StagedDownload {
  sidecar: DownloadSidecar;
  paths: StagedPaths;
  downloadedBytes: number;
}

/** Every paused download in `stagingDir` (those with a readable sidecar), oldest first. */
export async function listStaged(stagingDir: string): Promise<StagedDownload[]> {
  const names = await readdir(stagingDir).catch(() => [] as string[]);
  const found: StagedDownload[] = [];
  for (const name of names.filter((entry) => entry.endsWith(sidecarSuffix))) {
    const sidecar = await readSidecar(join(stagingDir, name));
    if (!sidecar) continue;
    const paths = stagedPaths(stagingDir, sidecar.fileName);
    const downloadedBytes = await stat(paths.partial).then((s) => s.size, () => 0);
    found.push({ sidecar, paths, downloadedBytes });
  }
  return found.sort((a, b) => a.sidecar.startedAt.localeCompare(b.sidecar.startedAt));
}
