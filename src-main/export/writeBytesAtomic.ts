import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../src-shared/AppError.ts';
import type { ExportFileSystem } from './ExportFileSystem.ts';
import { toExportError } from './toExportError.ts';

/**
 * Writes `data` to `file` so that readers (and a crash) see the old file or the whole new one:
 * a temp sibling is written, fsynced and moved into place. Without `overwrite` the move is a hard
 * link, which fails rather than replace a file that appeared meanwhile (TARGET_NOT_EMPTY); filesystems
 * without hard links fall back to a check and a rename. `src-main/cli/writeFileAtomic.ts` does the
 * same for text without fsync; this one takes bytes, which a zip needs, and the injectable fs.
 */
export async function writeBytesAtomic(file: string, data: Uint8Array, options: { overwrite: boolean; fs: ExportFileSystem }): Promise<void> {
  const { fs } = options;
  const conflict = (cause?: unknown) => new AppError('TARGET_NOT_EMPTY', `${file} exists already; nothing was written`, { cause });
  const temp = join(dirname(file), `.${basename(file).slice(0, 60)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    await fs.writeNewFile(temp, data);
    if (options.overwrite) {
      await fs.rename(temp, file);
    } else {
      try {
        await fs.link(temp, file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw conflict(error);
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'ENOSYS') throw error;
        const exists = await fs.lstat(file).then(
          () => true,
          () => false,
        );
        if (exists) throw conflict();
        await fs.rename(temp, file);
      }
    }
    await fs.sync(dirname(file)).catch(() => undefined);
  } catch (error) {
    throw toExportError(error, `write ${file}`);
  } finally {
    await fs.unlink(temp).catch(() => undefined);
  }
}
