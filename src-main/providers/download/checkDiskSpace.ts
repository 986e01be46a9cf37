import { statfs } from 'node:fs/promises';
import { AppError } from '../../../src-shared/AppError.ts';

/** Free space of the file system holding a folder, in bytes (what fs.statfs reports to this user). */
export type FreeSpace = (dir: string) => Promise<number>;

export const statfsFreeSpace: FreeSpace = async (dir) => {
  const stats = await statfs(dir);
  return Number(stats.bavail) * Number(stats.bsize);
};

/** Room left over after a download: the system and the app keep working on a nearly full disk. */
export function spaceMargin(bytes: number): number {
  return Math.max(64 * 1024 ** 2, Math.ceil(bytes * 0.02));
}

function inWords(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/**
 * Refuses a download before its first byte is written when the folder's disk cannot hold what is
 * left of it plus a margin (2 %, at least 64 MiB): a model that fills the disk half-way would
 * fail late and leave the rest of the machine without room. IO_FAILED, in words, with the sizes.
 */
export async function checkDiskSpace(dir: string, remainingBytes: number, fileName: string, freeSpace: FreeSpace = statfsFreeSpace): Promise<void> {
  const free = await freeSpace(dir);
  const needed = remainingBytes + spaceMargin(remainingBytes);
  if (free >= needed) return;
  throw new AppError(
    'IO_FAILED',
    `Not enough disk space to download ${fileName}: it needs ${inWords(remainingBytes)} (plus ${inWords(needed - remainingBytes)} to spare) and ${dir} has ${inWords(free)} free. Free some space or choose a smaller model`,
  );
}
