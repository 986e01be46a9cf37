import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../src-shared/AppError.ts';
import { fsErrorToAppError } from '../paths/fsErrorToAppError.ts';
import type { ProtectedFolder } from '../paths/protectedFolders.ts';
import { refuseProtectedTarget } from '../paths/refuseProtectedTarget.ts';

/**
 * Writes `text` to `file` so that readers see the old file or the whole new one, never a part:
 * a temp sibling is written and then moved into place. Without `overwrite` an existing file is
 * refused (TARGET_NOT_EMPTY), and the hard link that moves the temp file into place fails rather than
 * replace a file created meanwhile; filesystems without hard links fall back to check + rename.
 * A path that is, holds or lies inside a protected folder (the data folder: `--force` there
 * could replace the database) is refused first (PROTECTED_PATH).
 */
export function writeFileAtomic(file: string, text: string, options: { overwrite: boolean; protect: readonly ProtectedFolder[] }): void {
  refuseProtectedTarget(file, options.protect);
  const conflict = () => new AppError('TARGET_NOT_EMPTY', `${file} exists already: add --force to overwrite it`);
  if (!options.overwrite && existsSync(file)) throw conflict();
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    if (options.overwrite) {
      renameSync(temp, file);
      return;
    }
    try {
      linkSync(temp, file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw conflict();
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
      if (existsSync(file)) throw conflict();
      renameSync(temp, file);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // In words (no errno code, not the temporary file's name): the file is made, so a path not there is its folder.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('NOT_FOUND', `Cannot write ${file}: its folder ${dirname(file)} does not exist`, { cause: error });
    throw fsErrorToAppError(error, file, 'write');
  } finally {
    rmSync(temp, { force: true });
  }
}
