import { basename, extname } from 'node:path';
import type { AsyncZippable } from 'fflate';
import { AppError } from '../../src-shared/AppError.ts';
import { checkProjectPath } from '../../src-shared/pipeline/checkProjectPath.ts';
import { protectedFolders, type ProtectedFolder } from '../paths/protectedFolders.ts';
import { nodeExportFileSystem, type ExportFileSystem } from './ExportFileSystem.ts';
import { inspectExportTarget } from './inspectExportTarget.ts';
import { prepareExportFiles, type ProjectFile } from './prepareExportFiles.ts';
import { writeBytesAtomic } from './writeBytesAtomic.ts';

export interface ExportZipOptions {
  files: readonly ProjectFile[];
  zipPath: string;
  /** Replace an existing file at `zipPath`. */
  force?: boolean;
  /** Written as `.service-creator/provenance.json` inside the zip. */
  provenance?: unknown;
  /** The time stamped on the entries; injected so tests get the same bytes every run. */
  now?: () => Date;
  fs?: ExportFileSystem;
  /** Folders the zip may not replace or land in; by default those of the default data folder. */
  protectedFolders?: readonly ProtectedFolder[];
}

export interface ExportZipResult {
  /** Absolute path of the zip written. */
  zipPath: string;
  /** Files in the zip, the provenance file included. */
  files: number;
  /** Their size in bytes before compression (UTF-8). */
  bytes: number;
}

/**
 * Writes a generated project as one zip, for sharing or uploading. Everything sits under one top
 * folder named after the zip (`shop.zip` unpacks to `shop/`), so unpacking never scatters files
 * into the folder it is unpacked in. The same checks as a folder export run first, and the zip is
 * written to a temp sibling and moved into place, so a failure never leaves half a zip.
 */
export async function exportZip(options: ExportZipOptions): Promise<ExportZipResult> {
  const fs = options.fs ?? nodeExportFileSystem;
  const files = prepareExportFiles(options.files, options.provenance);
  const target = await inspectExportTarget(options.zipPath, 'file', fs, options.protectedFolders ?? protectedFolders());
  const name = basename(target.path, extname(target.path));
  const top = checkProjectPath(name);
  if (!top.ok || top.path.includes('/')) {
    throw new AppError('INVALID_INPUT', `Cannot name the zip's top folder after ${target.path}: ${top.ok ? 'it has no name' : top.problem}`);
  }
  if (target.state === 'present' && !options.force) throw new AppError('TARGET_NOT_EMPTY', `${target.path} exists already; nothing was written`);

  const mtime = (options.now ?? (() => new Date()))();
  const folder = new Uint8Array(0);
  // Folders get entries of their own so that unzip tools create them with normal permissions.
  const entries: AsyncZippable = { [`${top.path}/`]: [folder, { mtime }] };
  for (const file of files) {
    const segments = file.path.split('/');
    for (let end = 1; end < segments.length; end += 1) {
      const entry = `${top.path}/${segments.slice(0, end).join('/')}/`;
      if (!(entry in entries)) entries[entry] = [folder, { mtime }];
    }
    entries[`${top.path}/${file.path}`] = [file.data, { mtime }];
  }
  const { zip } = await import('fflate'); // imported by the export that needs it, not at start
  const archive = await new Promise<Uint8Array>((resolve, reject) => {
    zip(entries, { level: 6 }, (error, data) => (error ? reject(error) : resolve(data)));
  });
  await writeBytesAtomic(target.path, archive, { overwrite: options.force ?? false, fs });
  return { zipPath: target.path, files: files.length, bytes: files.reduce((sum, file) => sum + file.data.byteLength, 0) };
}
