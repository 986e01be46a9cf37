import type { Stats } from 'node:fs';
import { link, lstat, mkdir, open, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';

/**
 * The few file operations an export performs, as a parameter, so that tests can swap one of
 * them for a failing one to prove that a failure half-way leaves the target as it was, which no
 * real disk can be made to do on demand. Every write creates a new file exclusively, so an export
 * never writes through a path (or a link) that existed before it.
 */
export interface ExportFileSystem {
  lstat(path: string): Promise<Stats>;
  readdir(path: string): Promise<string[]>;
  /** Creates a folder; `recursive` also creates missing parents and accepts an existing one. */
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  /** Creates `path` (failing if anything exists there, link included), writes `data`, fsyncs it. */
  writeNewFile(path: string, data: Uint8Array): Promise<void>;
  /** Flushes an existing file (or, where the OS allows, a folder's entries) to the disk. */
  sync(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, created: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Removes an empty folder; fails on a non-empty one, which is what makes it safe. */
  rmdir(path: string): Promise<void>;
  /** Removes a tree without following links inside it; nothing there is not an error. */
  removeTree(path: string): Promise<void>;
}

/** The real file system. */
export const nodeExportFileSystem: ExportFileSystem = {
  lstat: (path) => lstat(path),
  readdir: (path) => readdir(path),
  mkdir: async (path, options) => {
    await mkdir(path, { recursive: options?.recursive ?? false });
  },
  writeNewFile: async (path, data) => {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  sync: async (path) => {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => rename(from, to),
  link: (existing, created) => link(existing, created),
  unlink: (path) => unlink(path),
  rmdir: (path) => rmdir(path),
  removeTree: (path) => rm(path, { recursive: true, force: true, maxRetries: 3 }),
};
