import { StringDecoder } from 'node:string_decoder';

export type LogStream = 'stdout' | 'stderr';

/**
 * Collects a container's stdout and stderr, interleaved as they come, up to a byte budget.
 *
 * Why a cap: a generated test can print without end (a log flood); the log is stored in SQLite
 * and streamed to the UI, so both get at most `limitBytes` of output plus one line that says
 * where the cut is. Everything after the cut is counted and dropped, never buffered, so the
 * container can keep writing (it is not blocked on a full pipe) until it ends or times out.
 *
 * Text is decoded per stream with a StringDecoder, so a multi-byte character split across two
 * chunks is kept whole; at the cut, a character that does not fit whole is dropped.
 */
export class CappedLog {
  readonly #limitBytes: number;
  readonly #onText: ((stream: LogStream, text: string) => void) | undefined;
  readonly #decoders: Record<LogStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  readonly #parts: string[] = [];
  #keptBytes = 0;
  #droppedBytes = 0;
  #cut = false;

  /** `onText` sees exactly what is kept (and the cut line), so live viewers are capped too. */
  constructor(limitBytes: number, onText?: (stream: LogStream, text: string) => void) {
    if (!Number.isInteger(limitBytes) || limitBytes < 0) throw new RangeError(`limitBytes must be a whole number ≥ 0, got ${limitBytes}`);
    this.#limitBytes = limitBytes;
    this.#onText = onText;
  }

  /** Adds a chunk of raw output from one stream. */
  write(stream: LogStream, chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (bytes.length === 0) return;
    if (this.#cut) {
      this.#droppedBytes += bytes.length;
      return;
    }
    const room = this.#limitBytes - this.#keptBytes;
    if (bytes.length <= room) {
      this.#keep(stream, this.#decoders[stream].write(bytes), bytes.length);
      return;
    }
    // The cut: keep what fits (a character split by the cut stays in the decoder and is lost),
    // then say where we cut.
    this.#keep(stream, this.#decoders[stream].write(bytes.subarray(0, room)), room);
    this.#droppedBytes += bytes.length - room;
    this.#cut = true;
    const needsNewline = (this.#parts.at(-1) ?? '\n').endsWith('\n') ? '' : '\n';
    const line = `${needsNewline}[service-creator] log cut here, after ${this.#keptBytes} bytes (the limit is ${this.#limitBytes} bytes of stdout+stderr); later output is dropped\n`;
    this.#parts.push(line);
    this.#onText?.(stream, line);
  }

  /** Whether output was dropped. */
  get truncated(): boolean {
    return this.#cut;
  }

  /** Bytes of output dropped after the cut. */
  get droppedBytes(): number {
    return this.#droppedBytes;
  }

  /** The kept log; after a cut it ends with the cut line and a count of what was dropped. */
  get text(): string {
    const joined = this.#parts.join('');
    return this.#cut ? `${joined}[service-creator] ${this.#droppedBytes} more bytes of output were dropped\n` : joined;
  }

  #keep(stream: LogStream, text: string, byteLength: number): void {
    this.#keptBytes += byteLength;
    if (text.length === 0) return;
    this.#parts.push(text);
    this.#onText?.(stream, text);
  }
}
