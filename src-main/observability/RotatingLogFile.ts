import { closeSync, constants, fstatSync, lstatSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateFolder, privateFileMode } from '../paths/keepPrivate.ts';

export interface RotatingLogFileOptions {
  dir: string;
  /** The file's name without `.log` (one per process kind: service-creator-app, -serve, -cli). */
  name: string;
  /** Past this size the file is rotated (default 5 MiB). */
  maxBytes?: number;
  /** Rotated files kept besides the current one (default 3): name.1.log is the newest. */
  keep?: number;
}

/** A lock older than this was left by a process that died while rotating. */
const staleLockMs = 30_000;

/**
 * Opened for appending without following a link (where the platform has O_NOFOLLOW): a log file
 * that is a link to a file elsewhere is refused (ELOOP), never appended to.
 */
const appendNoFollow = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
// O_NONBLOCK: a named pipe planted at its name is refused at once (ENXIO with no reader), never waited on
// with the whole thread; one with a reader, or a device, is refused as not a file once opened.

/** The log folder is a link: the log would be written outside the data folder. */
class LinkedFolderError extends Error {
  readonly code = 'LINKED_FOLDER';
}

/** The log file's name holds a pipe or a device: lines written there would go elsewhere, or wait for a reader. */
class NotAFileError extends Error {
  readonly code = 'NOT_A_FILE';
}

/**
 * An append-only log file rotated by size: `<name>.log`, then `<name>.1.log` … `<name>.<keep>.log`
 * (the oldest dropped). Written synchronously, one `write` per line on a descriptor opened for
 * appending (O_APPEND), so processes sharing the file (two CLI commands at once) never interleave
 * inside a line. Rotation is done by whoever first sees the file past its size, holding
 * `<name>.log.lock` (created exclusively); it checks the size again under the lock, so two
 * processes never rotate twice. A process still holding the renamed file keeps appending to
 * `<name>.1.log` (nothing is lost) until its next size check sees the path is another file and
 * reopens. A file that cannot be rotated (the rotated name taken by a folder, a lock that cannot
 * be removed) gets no more lines once it is twice its size, so the log never fills the disk. The
 * folder and the file are written only as themselves: a link planted there (the folder linked to
 * another place, the file linked to a file elsewhere) is refused, and nothing is written.
 * Our own small rotation rather than pino-roll: pino-roll runs in a worker thread
 * (a pino transport), which the bundled CLI and Electron would have to ship as a separate file,
 * and the scrubbing must happen on this thread before any byte is written.
 */
export class RotatingLogFile {
  readonly path: string;
  readonly #dir: string;
  readonly #name: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  #fd: number | undefined;
  #ino = 0;
  #failed = false;

  constructor(options: RotatingLogFileOptions) {
    this.#dir = options.dir;
    this.#name = options.name;
    this.#maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.#keep = Math.max(1, options.keep ?? 3);
    this.path = join(options.dir, `${options.name}.log`);
  }

  /** Appends `line` (which ends with its newline). Never throws: logging must not stop the app. */
  write(line: string): void {
    try {
      const fd = this.#open();
      // The file's real size: other processes append to it too (one fstat, cheap next to a write).
      let size = fstatSync(fd).size;
      // Past twice the limit it could not be rotated: the line is dropped rather than the disk filled.
      if (size < 2 * this.#maxBytes) size += writeSync(fd, Buffer.from(line, 'utf8'));
      if (size >= this.#maxBytes) this.#rotate();
    } catch (error) {
      if (!this.#failed) process.emitWarning(`Logs are not written to ${this.#dir}: ${whyNotWritten(error)}. Service Creator works on without them.`);
      this.#failed = true;
      this.#closeFd();
    }
  }

  close(): void {
    this.#closeFd();
  }

  #open(): number {
    if (this.#fd !== undefined) return this.#fd;
    ensurePrivateFolder(this.#dir);
    if (lstatSync(this.#dir).isSymbolicLink()) throw new LinkedFolderError(this.#dir);
    const fd = openSync(this.path, appendNoFollow, privateFileMode);
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      closeSync(fd);
      throw new NotAFileError(this.path);
    }
    this.#fd = fd;
    this.#ino = stats.ino;
    return fd;
  }

  #closeFd(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // Already closed.
    }
    this.#fd = undefined;
  }

  /** The path still names the file this process writes to. */
  #stillCurrent(): boolean {
    try {
      return statSync(this.path).ino === this.#ino;
    } catch {
      return false;
    }
  }

  #rotate(): void {
    if (!this.#stillCurrent()) {
      // Another process rotated: write to the new file from now on.
      this.#closeFd();
      return;
    }
    const lock = `${this.path}.lock`;
    let lockFd: number;
    try {
      lockFd = openSync(lock, 'wx', privateFileMode);
    } catch {
      try {
        // Either way: a lock stamped well after now is one left before the clock was set back (a rotation takes milliseconds).
        if (Math.abs(Date.now() - statSync(lock).mtimeMs) > staleLockMs) rmSync(lock, { force: true });
      } catch {
        // Gone meanwhile: the holder finished.
      }
      return; // The holder rotates; this process reopens at its next check.
    }
    try {
      if (statSync(this.path).size < this.#maxBytes) return; // Rotated by another process meanwhile.
      const rotated = (index: number) => join(this.#dir, `${this.#name}.${index}.log`);
      rmSync(rotated(this.#keep), { force: true });
      for (let index = this.#keep - 1; index >= 1; index -= 1) {
        try {
          renameSync(rotated(index), rotated(index + 1));
        } catch {
          // Not there yet.
        }
      }
      renameSync(this.path, rotated(1));
    } finally {
      closeSync(lockFd);
      rmSync(lock, { force: true });
      this.#closeFd();
    }
  }
}

/** Why the log cannot be written, in words (the warning a CLI command prints once). */
function whyNotWritten(error: unknown): string {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EEXIST':
    case 'ENOTDIR':
      return 'it (or a folder it is in) is a file, not a folder';
    case 'EISDIR':
    case 'ERR_FS_EISDIR':
      return 'a log file there is a folder';
    case 'EACCES':
    case 'EPERM':
      return 'there is no permission to write there';
    case 'LINKED_FOLDER':
      return 'it is a link to another place, and logs are written only inside the data folder';
    case 'ELOOP':
      return 'the log file there is a link to another file, and logs are written only to their own files';
    case 'NOT_A_FILE':
    case 'ENXIO':
      return 'the log file there is not a file (a pipe or a device)';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
