import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { AppError } from '../../../src-shared/AppError.ts';
import type { ProjectFile } from '../../sandbox/packProject.ts';

export interface ReadProjectDirLimits {
  maxFiles: number;
  maxFileBytes: number;
  /** All files together; the sandbox's archive takes at most 64 MiB (packProject). */
  maxTotalBytes: number;
}

export const defaultReadProjectDirLimits: ReadProjectDirLimits = {
  maxFiles: 5_000,
  maxFileBytes: 16 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
};

/**
 * Folders never sent to the sandbox, at any depth: version control, installed dependencies
 * (the sandbox has its own, and a virtualenv's links point outside the folder), our provenance,
 * and caches a previous local test run left.
 */
export const skippedFolderNames: readonly string[] = ['.git', 'node_modules', '.service-creator', '__pycache__', '.pytest_cache', '.venv'];

export interface ProjectDirContents {
  files: ProjectFile[];
  bytes: number;
  /** Files left out because they are not UTF-8 text (the sandbox takes text files). */
  skippedBinary: string[];
}

/**
 * The files of a project folder on disk, for `service-creator test DIR`: every regular file
 * (paths relative, with `/`) except the skipped folders and binary files. The folder is the
 * user's, but what it holds may have come from a model, so it is read defensively: a symbolic
 * link is followed only to a file inside the folder (a link out of it, to a folder, or to
 * nothing is refused, naming it), sockets and pipes are ignored, and the number and size of
 * files are bounded before anything is read.
 */
export async function readProjectDir(dir: string, limits: ReadProjectDirLimits = defaultReadProjectDirLimits): Promise<ProjectDirContents> {
  const root = resolve(dir);
  const rootStats = await stat(root).catch((error: unknown) => {
    throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new AppError('INVALID_INPUT', `There is no folder ${root}`) : ioError(root, error);
  });
  if (!rootStats.isDirectory()) throw new AppError('INVALID_INPUT', `${root} is not a folder: name the project folder to test`);
  const realRoot = await realpath(root);
  const contents: ProjectDirContents = { files: [], bytes: 0, skippedBinary: [] };
  let count = 0;
  const decoder = new TextDecoder('utf-8', { fatal: true });

  const addFile = async (absolute: string, path: string, size: number): Promise<void> => {
    count += 1;
    if (count > limits.maxFiles) {
      throw new AppError('INVALID_INPUT', `${root} holds more than ${limits.maxFiles} files (not counting ${skippedFolderNames.join(', ')}); the sandbox takes at most ${limits.maxFiles}: test a smaller folder`);
    }
    if (size > limits.maxFileBytes) throw new AppError('INVALID_INPUT', `"${path}" is ${size} bytes; the sandbox takes files of at most ${limits.maxFileBytes} bytes`);
    if (contents.bytes + size > limits.maxTotalBytes) {
      throw new AppError('INVALID_INPUT', `The files of ${root} add up to more than ${limits.maxTotalBytes} bytes (at "${path}"); the sandbox takes at most that: test a smaller folder`);
    }
    const data = await readFile(absolute).catch((error: unknown) => {
      throw ioError(absolute, error);
    });
    let text: string;
    try {
      if (data.includes(0)) throw new Error('NUL byte');
      text = decoder.decode(data);
    } catch {
      contents.skippedBinary.push(path);
      return;
    }
    contents.bytes += data.length;
    contents.files.push({ path, content: text });
  };

  const walk = async (folder: string, prefix: string): Promise<void> => {
    const entries: Dirent[] = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
      throw ioError(folder, error);
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (skippedFolderNames.includes(entry.name)) continue;
      const absolute = join(folder, entry.name);
      const path = `${prefix}${entry.name}`;
      const stats = await lstat(absolute).catch((error: unknown) => {
        throw ioError(absolute, error);
      });
      if (stats.isSymbolicLink()) {
        const target = await realpath(absolute).catch(() => undefined);
        if (target === undefined) throw new AppError('INVALID_INPUT', `"${path}" in ${root} is a symbolic link to something that does not exist: remove it or make it point to a file in the folder`);
        const inside = relative(realRoot, target);
        if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
          throw new AppError('INVALID_INPUT', `"${path}" in ${root} is a symbolic link to ${target}, outside the folder: the sandbox takes only the project's own files (replace the link with a copy, or remove it)`);
        }
        const targetStats = await stat(target);
        if (!targetStats.isFile()) throw new AppError('INVALID_INPUT', `"${path}" in ${root} is a symbolic link to a folder; links are followed only to files: replace it with the folder itself`);
        await addFile(target, path, targetStats.size);
      } else if (stats.isDirectory()) {
        await walk(absolute, `${path}/`);
      } else if (stats.isFile()) {
        await addFile(absolute, path, stats.size);
      }
      // Sockets, pipes and devices are not project files (and reading a pipe would block).
    }
  };

  await walk(root, '');
  if (contents.files.length === 0) throw new AppError('INVALID_INPUT', `${root} has no files to test${contents.skippedBinary.length > 0 ? ' (only binary ones)' : ''}`);
  return contents;
}

function ioError(path: string, error: unknown): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('IO_FAILED', `Cannot read ${path}: ${reason}`, { cause: error });
}
