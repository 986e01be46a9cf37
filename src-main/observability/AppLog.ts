import type { Logger } from 'pino';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import { RotatingLogFile } from './RotatingLogFile.ts';

/** Lines are written within this long of being logged, or at once past `drainLines`. */
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
  readonly #pending: [LogLevel, string, LogFields][] = [];
  /** Serialised lines not yet scrubbed and written. */
  readonly #lines: string[] = [];
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
   * Lines go to the file together, within 100 ms (at once past 256 lines; flush and close write
   * them now): one scrub and one write for a burst of model calls rather than one each, which
   * cost a busy process as much as the calls' own bookkeeping.
   */
  #queue(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length >= drainLines) {
      this.#drain();
      return;
    }
    if (this.#drainScheduled) return;
    this.#drainScheduled = setTimeout(() => this.#drain(), drainMs);
    this.#drainScheduled.unref();
  }

  /** The one place bytes go to the file: every line scrubbed, whatever it holds. */
  #drain(): void {
    clearTimeout(this.#drainScheduled);
    this.#drainScheduled = undefined;
    if (this.#lines.length === 0) return;
    this.file.write(scrubSecrets(this.#lines.splice(0).join('')));
  }

  #log(level: LogLevel, message: string, fields: LogFields): void {
    if (this.#closed) return;
    if (this.#logger) {
      // pino leaves out fields whose value is undefined.
      this.#logger[level](fields, message);
      return;
    }
    this.#pending.push([level, message, fields]);
    this.#loading ??= this.#load();
  }

  async #load(): Promise<void> {
    try {
      const { default: pino } = await import('pino');
      this.#logger = pino({ base: { pid: process.pid, kind: this.#kind }, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg' }, { write: (line: string) => this.#queue(line) });
    } catch (error) {
      process.emitWarning(`Logs cannot be written: ${error instanceof Error ? error.message : String(error)}`);
      this.#pending.length = 0;
      return;
    }
    const logger = this.#logger;
    // Lines logged before close still go out (a CLI command's last run ended just before it exited).
    for (const [level, message, fields] of this.#pending.splice(0)) logger[level](fields, message);
    if (this.#closed) {
      this.#drain();
      this.file.close();
    }
  }
}
