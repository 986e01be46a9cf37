/**
 * Download speed over the last few seconds (not since the start: a resumed or throttled
 * download would report a stale average) and the time left at that speed.
 */
export class TransferRate {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #samples: { at: number; bytes: number }[] = [];

  constructor(windowMs = 5_000, now: () => number = () => performance.now()) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Records the bytes done so far. */
  add(bytesDone: number): void {
    const at = this.#now();
    this.#samples.push({ at, bytes: bytesDone });
    while (this.#samples.length > 2 && (this.#samples[1]?.at ?? at) < at - this.#windowMs) this.#samples.shift();
  }

  bytesPerSecond(): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 200) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }

  /** Seconds until `totalBytes` at the current speed; null when unknown (no total, no speed yet). */
  secondsLeft(bytesDone: number, totalBytes: number | null): number | null {
    const speed = this.bytesPerSecond();
    if (totalBytes === null || speed <= 0) return null;
    return Math.max(0, Math.ceil((totalBytes - bytesDone) / speed));
  }
}
