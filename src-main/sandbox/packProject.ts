import { posix } from 'node:path';
import tar from 'tar-stream';
import { AppError } from '../../src-shared/AppError.ts';

export interface ProjectFile {
  path: string;
  content: string;
}

export interface PackProjectOptions {
  /** Folder inside the archive that holds the project, e.g. `project`. */
  root: string;
  /** Empty folders to add beside it, e.g. `out` for the test report. */
  extraDirs?: readonly string[];
  /** Files beside the project, paths from the archive's top (`tools/probe.py`), e.g. the sandbox's own probes. */
  extraFiles?: readonly ProjectFile[];
  /** Owner of every entry: the sandbox user, so the tests can write where they run. */
  uid: number;
  gid: number;
  /** Refuse projects larger than this many bytes in all. */
  maxBytes?: number;
}

const defaultMaxBytes = 64 * 1024 * 1024;

/**
 * A tar archive of the project's files under `root`, with every folder listed explicitly and
 * every entry owned by the sandbox user (the engine keeps the archive's owners when it unpacks,
 * and folders it would create on its own belong to root). Paths are checked again here even
 * though the pipeline checked them: relative, no `.`/`..` segments, no backslashes, no duplicates.
 * A file whose text starts with `#!` is made executable, as a script in a repository would be.
 */
export async function packProject(files: readonly ProjectFile[], options: PackProjectOptions): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  const owner = { uid: options.uid, gid: options.gid, mtime: new Date(0) };
  const dirs = new Set<string>([options.root, ...(options.extraDirs ?? [])]);
  const entries = new Map<string, Buffer>();
  let total = 0;
  for (const file of files) {
    const path = checkedPath(file.path);
    const fullPath = `${options.root}/${path}`;
    if (entries.has(fullPath)) throw new AppError('INVALID_INPUT', `The project lists the file "${path}" twice`);
    const content = Buffer.from(file.content, 'utf8');
    total += content.length;
    if (total > maxBytes) throw new AppError('INVALID_INPUT', `The project is over ${maxBytes} bytes; the sandbox takes at most that`);
    entries.set(fullPath, content);
    for (let dir = posix.dirname(fullPath); dir !== '.' && !dirs.has(dir); dir = posix.dirname(dir)) dirs.add(dir);
  }
  for (const file of options.extraFiles ?? []) {
    const path = checkedPath(file.path);
    if (path === options.root || path.startsWith(`${options.root}/`) || entries.has(path)) throw new AppError('INVALID_INPUT', `The sandbox file "${path}" would overlap the project`);
    entries.set(path, Buffer.from(file.content, 'utf8'));
    for (let dir = posix.dirname(path); dir !== '.' && !dirs.has(dir); dir = posix.dirname(dir)) dirs.add(dir);
  }
  for (const path of entries.keys()) {
    if (dirs.has(path)) throw new AppError('INVALID_INPUT', `The project has "${path.slice(options.root.length + 1)}" both as a file and as a folder`);
  }

  const pack = tar.pack();
  const done = collect(pack);
  // Parents sort before children, so each folder exists (with our owner) before its contents.
  for (const dir of [...dirs].sort()) await addEntry(pack, { name: `${dir}/`, type: 'directory', mode: 0o755, ...owner });
  for (const [name, content] of entries) {
    const mode = content.subarray(0, 2).toString('latin1') === '#!' ? 0o755 : 0o644;
    await addEntry(pack, { name, type: 'file', mode, size: content.length, ...owner }, content);
  }
  pack.finalize();
  return done;
}

function checkedPath(path: string): string {
  const problem =
    path.length === 0 ? 'is empty'
    : path.includes('\\') ? 'contains a backslash'
    : path.includes('\0') ? 'contains a NUL character'
    : path.startsWith('/') ? 'is absolute'
    : path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..') ? 'has an empty, "." or ".." segment'
    : undefined;
  if (problem) throw new AppError('INVALID_INPUT', `The project file path "${path}" ${problem}; sandbox paths must be relative and inside the project`);
  return path;
}

function addEntry(pack: tar.Pack, header: Partial<tar.Header> & { name: string }, content?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const callback = (error?: Error | null) => (error ? reject(error) : resolve());
    if (content) pack.entry(header, content, callback);
    else pack.entry(header, callback);
  });
}

function collect(pack: tar.Pack): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pack.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
}
