import { chmodSync, lstatSync, mkdirSync } from 'node:fs';

/** The data folder and the folders inside it: the user alone may list or enter them. */
export const privateFolderMode = 0o700;
/** The database (and its -wal/-shm), models and downloads: the user alone may read them. */
export const privateFileMode = 0o600;

/**
 * Takes the group and others' permissions off a file or folder the app keeps in its data folder
 * (the database holds prompts, answers and generated code; other users on the machine have no
 * business reading it). Set explicitly because the umask decides what a plain create gives, and
 * applied on every open so that what an older version made 0755/0644 is tightened too. Owner
 * bits are kept (never loosened); links are not followed; on Windows, where modes mean nothing,
 * and for files we cannot change (not ours), it does nothing: it is protection, not a check.
 */
export function keepPrivate(path: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  try {
    const stats = lstatSync(path);
    if (stats.isSymbolicLink() || (stats.mode & 0o077) === 0) return;
    chmodSync(path, stats.mode & 0o700);
  } catch {
    // Missing (nothing to protect) or not ours (EPERM): the app works on regardless.
  }
}

/** Creates `dir` (and missing parents) if needed, and makes `dir` itself private. */
export function ensurePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: privateFolderMode });
  keepPrivate(dir);
}
