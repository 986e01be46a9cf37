import { basename, dirname, resolve } from 'node:path';
import { AppError } from '../../src-shared/AppError.ts';
import type { ProtectedFolder } from '../paths/protectedFolders.ts';
import { refuseProtectedTarget } from '../paths/refuseProtectedTarget.ts';
import type { ExportFileSystem } from './ExportFileSystem.ts';
import { toExportError } from './toExportError.ts';

/** The place an export goes, absolute, and what is there now. */
export interface ExportTarget {
  path: string;
  parent: string;
  /** `empty` is only said of a folder; a file that exists is `present`. */
  state: 'missing' | 'empty' | 'present';
}

/**
 * Looks at where an export will go before anything is written, so that a wrong choice is refused
 * with a clear reason instead of half an export. The target itself must be a real folder (or,
 * for a zip, a regular file) or not exist: a symbolic link is refused even with --force, because
 * replacing the link would surprise whoever made it and following it would write somewhere the
 * user did not name. Links further up the path are the user's choice and are followed. The parent
 * must exist: we create one folder, never a chain of them from a typo. A target that is, holds or
 * sits inside a protected folder (the data folder, the app, the system) is refused whatever is
 * there now, so "replace" can never delete the projects.
 */
export async function inspectExportTarget(raw: string, kind: 'folder' | 'file', fs: ExportFileSystem, protect: readonly ProtectedFolder[]): Promise<ExportTarget> {
  if (typeof raw !== 'string' || raw.trim() === '') throw new AppError('INVALID_INPUT', `The export ${kind} is empty: name a ${kind} to export to`);
  const path = resolve(raw);
  const parent = dirname(path);
  if (parent === path || basename(path) === '') throw new AppError('INVALID_INPUT', `Cannot export to ${path}: it is the root of a disk; name a ${kind} inside it`);
  refuseProtectedTarget(path, protect);
  const stats = await fs.lstat(path).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw toExportError(error, `look at ${path}`);
  });
  if (stats === undefined) {
    await checkParent(path, parent, fs);
    return { path, parent, state: 'missing' };
  }
  if (stats.isSymbolicLink()) {
    throw new AppError('INVALID_INPUT', `Cannot export to ${path}: it is a symbolic link, which an export never replaces or follows; name the ${kind} it points to instead`);
  }
  if (kind === 'folder') {
    if (!stats.isDirectory()) throw new AppError('INVALID_INPUT', `Cannot export to ${path}: it is a file, not a folder`);
    const entries = await fs.readdir(path).catch((error: unknown) => {
      throw toExportError(error, `list ${path}`);
    });
    return { path, parent, state: entries.length === 0 ? 'empty' : 'present' };
  }
  if (stats.isDirectory()) throw new AppError('INVALID_INPUT', `Cannot write the zip to ${path}: it is a folder; name a file such as ${path}.zip`);
  if (!stats.isFile()) throw new AppError('INVALID_INPUT', `Cannot write the zip to ${path}: it is not a regular file`);
  return { path, parent, state: 'present' };
}

async function checkParent(path: string, parent: string, fs: ExportFileSystem): Promise<void> {
  // lstat would refuse a parent that is a link to a folder; the user may place folders that way.
  const stats = await fs.lstat(parent).catch(() => undefined);
  let isFolder = stats?.isDirectory() ?? false;
  if (stats?.isSymbolicLink()) isFolder = await fs.readdir(parent).then(() => true, () => false);
  if (stats === undefined) throw new AppError('INVALID_INPUT', `Cannot export to ${path}: its parent folder ${parent} does not exist; create it first`);
  if (!isFolder) throw new AppError('INVALID_INPUT', `Cannot export to ${path}: ${parent} is not a folder`);
}
