/**
 * The secret values this process holds (API keys resolved for providers, keys just typed in), so
 * scrubSecrets can remove them from any text that leaves the core even when they look like
 * nothing in particular (a gateway's key without a known prefix). Memory only: never persisted,
 * never listed to anyone, and only ever used to redact.
 */
class KnownSecrets {
  readonly #values = new Set<string>();
  /** `values()` as last handed out, until a value comes or goes (asked on every model call). */
  #list: readonly string[] | undefined;

  /** Shorter values are ignored: redacting a 3-letter word everywhere would garble text. */
  static readonly minLength = 8;

  /** Remembers a secret for the rest of the process (whitespace around it is not part of it). */
  add(value: string | undefined | null): void {
    const secret = value?.trim();
    if (secret && secret.length >= KnownSecrets.minLength && !this.#values.has(secret)) {
      this.#values.add(secret);
      this.#list = undefined;
    }
  }

  /** The values, as one frozen list that stays the same object until a value comes or goes. */
  values(): readonly string[] {
    this.#list ??= Object.freeze([...this.#values]);
    return this.#list;
  }

  get size(): number {
    return this.#values.size;
  }

  /** For tests only: forgets every remembered value. */
  clear(): void {
    this.#values.clear();
    this.#list = undefined;
  }
}

/** The process-wide registry of secret values, fed where keys are resolved or entered. */
export const knownSecrets = new KnownSecrets();
