import { hash } from 'node:crypto';

/**
 * SHA-256 of texts asked again and again, remembered: a response-cache hit is a request asked
 * before, and hashing its key text cost more than the rest of the lookup (a Map finds a
 * remembered text by V8's own string hash). A text comes in two parts, a prefix shared by many
 * (the target's part of a cache key) and the rest: each is looked up as it is, so the two are
 * never joined into a new string to be copied and hashed again on a hit. Only short texts are
 * remembered, and at most `entries` of them (the oldest forgotten first), so the memory stays small.
 */
export class RecentDigests {
  readonly #byPrefix = new Map<string, Map<string, string>>();
  #count = 0;
  readonly #entries: number;
  readonly #maxLength: number;

  constructor(entries = 256, maxLength = 8 * 1024) {
    this.#entries = entries;
    this.#maxLength = maxLength;
  }

  /** The hex SHA-256 of `prefix + text` (UTF-8). */
  sha256(prefix: string, text: string): string {
    if (prefix.length + text.length > this.#maxLength) return hash('sha256', prefix + text);
    const remembered = this.#byPrefix.get(prefix)?.get(text);
    if (remembered !== undefined) return remembered;
    const digest = hash('sha256', prefix + text);
    this.#makeRoom();
    let texts = this.#byPrefix.get(prefix);
    if (texts === undefined) {
      texts = new Map();
      this.#byPrefix.set(prefix, texts);
    }
    texts.set(text, digest);
    this.#count += 1;
    return digest;
  }

  /** Forgets the oldest texts (of the oldest prefix first) until one more fits. */
  #makeRoom(): void {
    while (this.#count >= this.#entries) {
      const oldest = this.#byPrefix.entries().next();
      if (oldest.done) return;
      const [prefix, texts] = oldest.value;
      const text = texts.keys().next();
      if (!text.done) {
        texts.delete(text.value);
        this.#count -= 1;
      }
      if (texts.size === 0) this.#byPrefix.delete(prefix);
    }
  }

  /** How many texts are remembered. */
  get size(): number {
    return this.#count;
  }
}
