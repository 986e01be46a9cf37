import type { Logger } from 'pino';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import { RotatingLogFile } from './RotatingLogFile.ts';
import { terminalSafeJson } from '../../src-shared/terminalSafeJson.ts';

/** Lines are written within this long of being logged, or at once past `drainLines` entries. */
const drainMs = 100;
const drainLines = 256;
/** A text logged is cut to this many characters once scrubbed (an error's message can be any length). */
const maxTextLength = 4_000;
/** Joins a batch's texts for one scrub: no rule of scrubSecrets but the private-key block reads past a NUL. */
const textSeparator = '\n\u0000\n';

export type LogLevel = 'info' | 'warn' | 'error';
/** What a line carries besides its message: plain values only (never a prompt, an answer or code). */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

type Entry = [level: LogLevel, message: string, fields: LogFields, at: number];
/**
 * An entry's fields, or what makes them when its line is written: a model call notes its record
 * (which no one changes after) and its fields are made off the call's path.
 */
export type LazyLogFields = LogFields | (() => LogFields);
type Noted = [level: LogLevel, message: string, fields: LazyLogFields, at: number];

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
 * rotated by size (RotatingLogFile). Every text of a line (its message and string fields) is
 * scrubbed before the line is serialised: the keys this process knows and anything key-shaped
 * (scrubSecrets), whatever the caller put in it.
 * pino is imported on the first line logged, so a command that logs nothing (`--version`,
 * `projects list`) never loads it; lines logged meanwhile wait in order and `flush` waits for them.
 * Characters JSON leaves raw that a terminal acts on (direction overrides, C1 controls) are
 * written as JSON escapes (terminalSafeJson), so `tail -f` of a hostile model name shows it as it is.
 * Lines are scrubbed and written within 100 ms, together in one write, so a model call does not
 * wait for the disk or the scrubbing.
 */
export class AppLog {
  readonly file: RotatingLogFile;
  readonly #kind: ProcessKind;
  #logger: Logger | undefined;
  #loading: Promise<void> | undefined;
  /** What was logged and when, not yet serialised (that happens with the write, off the caller's path). */
  readonly #entries: Noted[] = [];
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

  info(message: string, fields: LazyLogFields = {}): void {
    this.#log('info', message, fields);
  }

  warn(message: string, fields: LazyLogFields = {}): void {
    this.#log('warn', message, fields);
  }

  error(message: string, fields: LogFields = {}, error?: unknown): void {
    // The stack too: an internal error is a bug, and the log is where it is read (scrubbed and cut like every text).
    const described = error === undefined ? {} : { error: error instanceof Error ? error.message : String(error), errorName: error instanceof Error ? error.name : undefined, stack: error instanceof Error ? error.stack : undefined };
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
   * The one place bytes go to the file: the entries logged since the last write, their texts
   * scrubbed together, serialised (each with the time it was logged), and written at once. Lines go out within
   * 100 ms (at once past 256 entries; flush and close write them now): a model call pays for
   * noting its line, not for serialising, scrubbing and writing it.
   */
  #drain(): void {
    clearTimeout(this.#drainScheduled);
    this.#drainScheduled = undefined;
    const logger = this.#logger;
    if (!logger || this.#entries.length === 0) return;
    for (const [level, message, fields, at] of scrubbedEntries(this.#entries.splice(0).map(made))) {
      this.#lineAt = at;
      // pino leaves out fields whose value is undefined; its line comes back through #lines.
      logger[level](fields, message);
    }
    if (this.#lines.length > 0) this.file.write(this.#lines.splice(0).join(''));
  }

  #log(level: LogLevel, message: string, fields: LazyLogFields): void {
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
        { write: (line: string) => void this.#lines.push(terminalSafeJson(line)) },
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

/** A noted entry with its fields made. */
function made(noted: Noted): Entry {
  const fields = noted[2];
  if (typeof fields !== 'function') return noted as Entry;
  try {
    return [noted[0], noted[1], fields(), noted[3]];
  } catch (error) {
    // Never the other lines' loss: this one says what went wrong.
    return [noted[0], noted[1], { fieldsError: error instanceof Error ? error.message : String(error) }, noted[3]];
  }
}

/**
 * The entries with their texts (message and string fields) scrubbed, then cut to
 * `maxTextLength`, before they are serialised: scrubbing the JSON line instead saw `\"` where a
 * text had a quote (a quoted `x-api-key="…"` kept its value, and the line was left broken JSON),
 * and a rule reading to the end of its text (a private key's block) took every later line of the
 * write with it. A write's texts are scrubbed together, in one call, joined by a separator no
 * rule reads across; should one be swallowed anyway (or a text hold a NUL), each text is
 * scrubbed on its own. Entries with nothing to change are passed on as they are.
 */
function scrubbedEntries(entries: Entry[]): Entry[] {
  const texts: string[] = [];
  for (const [, message, fields] of entries) {
    texts.push(message);
    for (const value of Object.values(fields)) if (typeof value === 'string') texts.push(value);
  }
  const joined = texts.join(textSeparator);
  const scrubbed = scrubSecrets(joined);
  if (scrubbed === joined && texts.every((text) => text.length <= maxTextLength)) return entries;
  let clean = scrubbed.split(textSeparator);
  if (clean.length !== texts.length || texts.some((text) => text.includes('\u0000'))) clean = texts.map((text) => scrubSecrets(text));
  let next = 0;
  const take = () => cut(clean[next++] ?? '');
  return entries.map(([level, , fields, at]) => {
    const cleanMessage = take();
    const cleanFields: Record<string, string | number | boolean | null | undefined> = {};
    for (const [name, value] of Object.entries(fields)) cleanFields[name] = typeof value === 'string' ? take() : value;
    return [level, cleanMessage, cleanFields, at];
  });
}

function cut(text: string): string {
  return text.length <= maxTextLength ? text : `${text.slice(0, maxTextLength)}… (${text.length - maxTextLength} more characters)`;
}
