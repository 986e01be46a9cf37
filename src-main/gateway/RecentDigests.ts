import { hash } from 'node:crypto';

/**
 * SHA-256 of texts asked again and again, remembered: a response-cache hit is a request asked
 * before, and hashing its key text cost more than the rest of the lookup (a Map finds a
 * remembered text by V8's own string hash). Only short texts are remembered, and at most
 * `entries` of them (the oldest forgotten first), so the memory stays small.
 */
export class RecentDigests {
  readonly #digests = new Map<string, string>();
  readonly #entries: number;
  readonly #maxLength: number;

  constructor(entries = 256, maxLength = 8 * 1024) {
    this.#entries = entries;
    this.#maxLength = maxLength;
  }

  /** The hex SHA-256 of `text` (UTF-8). */
  sha256(text: string): string {
    if (text.length > this.#maxLength) return hash('sha256', text);
    let digest = this.#digests.get(text);
    if (digest === undefined) {
      digest = hash('sha256', text);
      if (this.#digests.size >= this.#entries) this.#digests.delete(this.#digests.keys().next().value as string);
      this.#digests.set(text, digest);
    }
    return digest;
  }
}
