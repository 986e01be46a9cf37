import type { Logger } from 'pino';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import { RotatingLogFile } from './RotatingLogFile.ts';

/** Lines are written within this long of being logged, or at once past `drainLines` entries. */
const drainMs = 100;
const drainLines = 256;

export type LogLevel = 'info' | 'warn' | 'error';
/** What a line carries besides its message: plain values only (never a prompt, an answer or code). */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** Which face writes: each has its own file, so the app, `serve` and CLI commands never rotate each other's. */
export type ProcessKind = 'app' | 'serve' | 'cli';

export interface AppLogOptions {
  /** `<data>/logs`. */
  dir: string;
  kind: ProcessKind;
  maxBytes?: number;
  keep?: number;
}

/**
 * Structured logs (pino, one JSON object per line) in `<data>/logs/service-creator-<kind>.log`,
 * rotated by size (RotatingLogFile). Every line is scrubbed before it is written: the keys this
 * process knows and anything key-shaped (scrubSecrets), whatever the caller put in it.
 * pino is imported on the first line logged, so a command that logs nothing (`--version`,
 * `projects list`) never loads it; lines logged meanwhile wait in order and `flush` waits for them.
 * Lines are scrubbed and written on the next turn of the event loop (setImmediate), all of that
 * turn's in one write, so a model call does not wait for the disk or the scrubbing.
 */
export class AppLog {
  readonly file: RotatingLogFile;
  readonly #kind: ProcessKind;
  #logger: Logger | undefined;
  #loading: Promise<void> | undefined;
  /** What was logged and when, not yet serialised (that happens with the write, off the caller's path). */
  readonly #entries: [level: LogLevel, message: string, fields: LogFields, at: number][] = [];
  /** Serialised lines of the write under way. */
  readonly #lines: string[] = [];
  /** The time of the entry being serialised (its line's "time"). */
  #lineAt = 0;
  #drainScheduled: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: AppLogOptions) {
    this.#kind = options.kind;
    this.file = new RotatingLogFile({
      dir: options.dir,
      name: `service-creator-${options.kind}`,
      ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      ...(options.keep !== undefined ? { keep: options.keep } : {}),
    });
  }

  info(message: string, fields: LogFields = {}): void {
    this.#log('info', message, fields);
  }

  warn(message: string, fields: LogFields = {}): void {
    this.#log('warn', message, fields);
  }

  error(message: string, fields: LogFields = {}, error?: unknown): void {
    const described = error === undefined ? {} : { error: error instanceof Error ? error.message : String(error), errorName: error instanceof Error ? error.name : undefined };
    this.#log('error', message, { ...fields, ...described });
  }

  /** Resolves once every line logged so far is written (pino loaded if it had to be). */
  async flush(): Promise<void> {
    await this.#loading;
    this.#drain();
  }

  close(): void {
    this.#closed = true;
    this.#drain();
    this.file.close();
  }

  /**
   * The one place bytes go to the file: the entries logged since the last write serialised (each
   * with the time it was logged), scrubbed together, and written at once. Lines go out within
   * 100 ms (at once past 256 entries; flush and close write them now): a model call pays for
   * noting its line, not for serialising, scrubbing and writing it.
   */
  #drain(): void {
    clearTimeout(this.#drainScheduled);
    this.#drainScheduled = undefined;
    const logger = this.#logger;
    if (!logger || this.#entries.length === 0) return;
    for (const [level, message, fields, at] of this.#entries.splice(0)) {
      this.#lineAt = at;
      // pino leaves out fields whose value is undefined; its line comes back through #lines.
      logger[level](fields, message);
    }
    if (this.#lines.length > 0) this.file.write(scrubSecrets(this.#lines.splice(0).join('')));
  }

  #log(level: LogLevel, message: string, fields: LogFields): void {
    if (this.#closed) return;
    this.#entries.push([level, message, fields, Date.now()]);
    if (!this.#logger) {
      this.#loading ??= this.#load();
      return;
    }
    if (this.#entries.length >= drainLines) {
      this.#drain();
      return;
    }
    if (this.#drainScheduled) return;
    this.#drainScheduled = setTimeout(() => this.#drain(), drainMs);
    this.#drainScheduled.unref();
  }

  async #load(): Promise<void> {
    try {
      const { default: pino } = await import('pino');
      this.#logger = pino(
        { base: { pid: process.pid, kind: this.#kind }, timestamp: () => `,"time":"${new Date(this.#lineAt).toISOString()}"`, messageKey: 'msg' },
        { write: (line: string) => void this.#lines.push(line) },
      );
    } catch (error) {
      process.emitWarning(`Logs cannot be written: ${error instanceof Error ? error.message : String(error)}`);
      this.#entries.length = 0;
      return;
    }
    // Lines logged before pino loaded (or before close: a CLI command's last run ended just before it exited) go out now.
    this.#drain();
    if (this.#closed) this.file.close();
  }
}
