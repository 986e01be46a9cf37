/**
 * Splits the sandbox wrapper's trailer off the end of the container's stdout.
 *
 * Why: reading the JUnit report back with the engine's archive endpoint costs about 50 ms a run
 * (the engine mounts the container's filesystem and re-executes itself to make the tar), a
 * seventh of a small project's whole run. So the wrapper, after the tests, prints a line
 * starting with a per-run random marker and then the report itself; everything before the
 * marker is the tests' output and goes to the log, everything after is kept apart (up to
 * `maxTrailerBytes`). The marker is unguessable to the tests only in the weak sense that they
 * would have to read it from /proc/1/cmdline; a test that forges a trailer can only misreport
 * its own results, which it could also do by writing the report file.
 *
 * Output that ends with what could be the start of the marker is held back until the next
 * chunk shows whether it is (at most the marker's length, usually one newline).
 */
export class TrailerSplitter {
  readonly #marker: Buffer;
  readonly #onOutput: (chunk: Buffer) => void;
  readonly #maxTrailerBytes: number;
  #pending: Buffer = Buffer.alloc(0);
  #trailer: Buffer[] | undefined;
  #trailerBytes = 0;
  #overflow = false;

  /** `marker` is matched at the start of a line: the wrapper prints `\n` + marker. */
  constructor(marker: string, onOutput: (chunk: Buffer) => void, maxTrailerBytes: number) {
    this.#marker = Buffer.from(`\n${marker}`, 'utf8');
    this.#onOutput = onOutput;
    this.#maxTrailerBytes = maxTrailerBytes;
  }

  write(chunk: Buffer): void {
    if (this.#trailer) {
      this.#keep(chunk);
      return;
    }
    const data = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    const at = data.indexOf(this.#marker);
    if (at >= 0) {
      if (at > 0) this.#onOutput(data.subarray(0, at));
      this.#pending = Buffer.alloc(0);
      this.#trailer = [];
      this.#keep(data.subarray(at + this.#marker.length));
      return;
    }
    const held = this.#partialMarkerAtEnd(data);
    if (data.length > held) this.#onOutput(data.subarray(0, data.length - held));
    this.#pending = Buffer.from(data.subarray(data.length - held));
  }

  /** Output held back at the end of the stream was not a marker after all. */
  end(): void {
    if (this.#pending.length > 0) this.#onOutput(this.#pending);
    this.#pending = Buffer.alloc(0);
  }

  /** What followed the marker, or undefined when none came (or it was over the limit). */
  get trailer(): string | undefined {
    return this.#trailer && !this.#overflow ? Buffer.concat(this.#trailer).toString('utf8') : undefined;
  }

  #keep(chunk: Buffer): void {
    if (this.#overflow || chunk.length === 0) return;
    this.#trailerBytes += chunk.length;
    if (this.#trailerBytes > this.#maxTrailerBytes) {
      this.#overflow = true;
      this.#trailer = [];
      return;
    }
    this.#trailer!.push(Buffer.from(chunk));
  }

  /** Length of the longest end of `data` that is a start of the marker. */
  #partialMarkerAtEnd(data: Buffer): number {
    for (let length = Math.min(data.length, this.#marker.length - 1); length > 0; length--) {
      if (data.subarray(data.length - length).equals(this.#marker.subarray(0, length))) return length;
    }
    return 0;
  }
}
