import { PassThrough, Writable } from 'node:stream';
import type { CliIo } from '../../src-main/cli/CliIo.ts';

export interface BufferIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
  /** stdout split into lines, each parsed as JSON (throws if a line is not JSON). */
  jsonLines(): Record<string, unknown>[];
}

export interface BufferIoOptions {
  env?: NodeJS.ProcessEnv;
  stdinIsTTY?: boolean;
  /** Makes stderr look like a terminal (readline then runs in terminal mode). */
  stderrIsTTY?: boolean;
  /** What stdin holds before it ends (default: nothing). */
  stdinText?: string;
  waitForStop?: () => Promise<void>;
  /** Called with every chunk written to stdout (to react to `listening`). */
  onStdout?: (text: string) => void;
}

class BufferStream extends Writable {
  text = '';
  isTTY = false;
  readonly #onWrite: ((text: string) => void) | undefined;

  constructor(onWrite?: (text: string) => void) {
    super();
    this.#onWrite = onWrite;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = chunk.toString();
    this.text += text;
    this.#onWrite?.(text);
    callback();
  }
}

/** A CliIo writing into strings, with a non-TTY stdin unless told otherwise. */
export function createBufferIo(options: BufferIoOptions = {}): BufferIo {
  const stdout = new BufferStream(options.onStdout);
  const stderr = new BufferStream();
  stderr.isTTY = options.stderrIsTTY ?? false;
  const stdin = Object.assign(new PassThrough(), { isTTY: options.stdinIsTTY ?? false });
  stdin.end(options.stdinText ?? '');
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    env: options.env ?? {},
    waitForStop: options.waitForStop ?? (() => Promise.resolve()),
  };
  return {
    io,
    stdout: () => stdout.text,
    stderr: () => stderr.text,
    jsonLines: () => parseJsonLines(stdout.text),
  };
}

export function parseJsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`Not a JSON object line: ${line}`);
      return value as Record<string, unknown>;
    });
}
