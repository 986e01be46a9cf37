import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../src-shared/AppError.ts';
import { protectedFolders, type ProtectedFolder } from '../paths/protectedFolders.ts';
import { commitExport, type GitAuthor } from './commitExport.ts';
import { nodeExportFileSystem, type ExportFileSystem } from './ExportFileSystem.ts';
import { inspectExportTarget, type ExportTarget } from './inspectExportTarget.ts';
import { prepareExportFiles, type ExportFile, type ProjectFile } from './prepareExportFiles.ts';
import { toExportError } from './toExportError.ts';

export interface ExportProjectOptions {
  files: readonly ProjectFile[];
  outDir: string;
  /** Replace a non-empty `outDir`. Never needed for a missing or empty one. */
  force?: boolean;
  /** Make the export a git repository with one commit of all its files. */
  gitInit?: boolean | GitAuthor;
  /** Written as `.service-creator/provenance.json`: what made these files, for later audits. */
  provenance?: unknown;
  /** The commit's time; injected so tests get the same commit oid every run. */
  now?: () => Date;
  /** The file operations; tests inject failures through it. */
  fs?: ExportFileSystem;
  /** Folders the export may not replace, hold or enter; by default those of the default data folder. */
  protectedFolders?: readonly ProtectedFolder[];
}

export interface ExportResult {
  /** Absolute path of the exported folder. */
  outDir: string;
  /** Files written, the provenance file included and `.git` not. */
  files: number;
  /** Their size in bytes (UTF-8). */
  bytes: number;
  /** The oid of the first commit, with `gitInit`. */
  commit?: string;
  /**
   * The replaced folder when it was moved aside but could not then be deleted (a file held open
   * on Windows, say): the export is complete and this is left for the user to remove.
   */
  leftoverBackup?: string;
}

/**
 * Writes a generated project to a folder so that the folder holds either what it held before or
 * the whole export, never a mix: everything is written into a fresh temporary sibling (same
 * disk, so the final move is one rename), fsynced, and renamed into place. A non-empty folder is
 * only replaced with `force`, by moving it aside first so that a failed rename can put it back.
 * All checks (paths, sizes, duplicates, the target) run before the first write, so a refused
 * export writes nothing anywhere. Files are created exclusively inside the fresh folder, so no
 * link that existed before is ever written through, and replacing a folder removes links it
 * contains without following them.
 */
export async function exportProject(options: ExportProjectOptions): Promise<ExportResult> {
  const fs = options.fs ?? nodeExportFileSystem;
  const files = prepareExportFiles(options.files, options.provenance);
  const target = await inspectExportTarget(options.outDir, 'folder', fs, options.protectedFolders ?? protectedFolders());
  if (target.state === 'present' && !options.force) throw new AppError('TARGET_NOT_EMPTY', `${target.path} is not empty; nothing was written`);

  const temp = siblingPath(target.path, 'tmp');
  await fs.mkdir(temp).catch((error: unknown) => {
    throw toExportError(error, `create a temporary folder in ${target.parent}`);
  });
  let commit: string | undefined;
  try {
    await writeFiles(temp, files, fs);
    if (options.gitInit) {
      const author = typeof options.gitInit === 'object' ? options.gitInit : {};
      commit = await commitExport(temp, files.map((file) => file.path), author, (options.now ?? (() => new Date()))());
      await syncTree(join(temp, '.git'), fs);
    }
  } catch (error) {
    await fs.removeTree(temp).catch(() => undefined);
    throw toExportError(error, `write the export to ${target.path} (nothing there was changed)`);
  }

  const leftoverBackup = await moveIntoPlace(temp, target, fs);
  await fs.sync(target.parent).catch(() => undefined);
  const bytes = files.reduce((sum, file) => sum + file.data.byteLength, 0);
  return {
    outDir: target.path,
    files: files.length,
    bytes,
    ...(commit === undefined ? {} : { commit }),
    ...(leftoverBackup === undefined ? {} : { leftoverBackup }),
  };
}

/** A hidden, random sibling of `path` (same folder, so same disk: rename stays atomic). */
function siblingPath(path: string, kind: 'tmp' | 'old'): string {
  return join(dirname(path), `.${basename(path).slice(0, 60)}.${kind}-${randomBytes(6).toString('hex')}`);
}

async function writeFiles(root: string, files: readonly ExportFile[], fs: ExportFileSystem): Promise<void> {
  const made = new Set<string>();
  for (const file of files) {
    const segments = file.path.split('/');
    for (let end = 1; end < segments.length; end += 1) {
      const folder = segments.slice(0, end).join('/');
      if (made.has(folder)) continue;
      await fs.mkdir(join(root, folder));
      made.add(folder);
    }
    await fs.writeNewFile(join(root, ...segments), file.data);
  }
  for (const folder of made) await fs.sync(join(root, folder)).catch(() => undefined);
  await fs.sync(root).catch(() => undefined);
}

/** isomorphic-git does not fsync what it writes; do it before the rename makes it visible. */
async function syncTree(path: string, fs: ExportFileSystem): Promise<void> {
  for (const name of await fs.readdir(path)) {
    const child = join(path, name);
    const stats = await fs.lstat(child);
    if (stats.isDirectory()) await syncTree(child, fs);
    else if (stats.isFile()) await fs.sync(child);
  }
  await fs.sync(path).catch(() => undefined);
}

/** Puts the finished temp folder at the target; on failure removes it and leaves the target as it was. */
async function moveIntoPlace(temp: string, target: ExportTarget, fs: ExportFileSystem): Promise<string | undefined> {
  const fail = async (error: unknown): Promise<never> => {
    await fs.removeTree(temp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') {
      throw new AppError('TARGET_NOT_EMPTY', `${target.path} was filled by something else during the export; nothing was changed`, { cause: error });
    }
    throw toExportError(error, `move the export into ${target.path}`);
  };
  if (target.state === 'missing') {
    await fs.rename(temp, target.path).catch(fail);
    return undefined;
  }
  if (target.state === 'empty') {
    // POSIX rename replaces an empty folder in one step; Windows refuses, so remove it (rmdir
    // fails if it is no longer empty) and rename, putting the empty folder back if that fails.
    try {
      await fs.rename(temp, target.path);
    } catch {
      await fs.rmdir(target.path).catch(fail);
      await fs.rename(temp, target.path).catch(async (error: unknown) => {
        await fs.mkdir(target.path).catch(() => undefined);
        return fail(error);
      });
    }
    return undefined;
  }
  const backup = siblingPath(target.path, 'old');
  await fs.rename(target.path, backup).catch(fail);
  try {
    await fs.rename(temp, target.path);
  } catch (error) {
    const restored = await fs.rename(backup, target.path).then(
      () => true,
      () => false,
    );
    await fs.removeTree(temp).catch(() => undefined);
    const failure = toExportError(error, `move the export into ${target.path}`);
    if (restored) throw new AppError(failure.code, `${failure.message}; ${target.path} is unchanged`, { cause: error });
    throw new AppError('INTERNAL', `${failure.message}; the old folder is now at ${backup}, move it back by hand`, { cause: error });
  }
  try {
    await fs.removeTree(backup);
    return undefined;
  } catch {
    return backup;
  }
}
