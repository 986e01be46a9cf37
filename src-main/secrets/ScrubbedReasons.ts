import { knownSecrets } from './knownSecrets.ts';
import { scrubSecrets } from './scrubSecrets.ts';

/**
 * scrubSecrets of the router's reasons, remembered: a task's reasons repeat call after call
 * ("ordered: the listed order; default order for code ..."), and scrubbing one is dozens of
 * regular expressions. The answer depends on the text and the secrets known, so the memory is
 * dropped whenever the known secrets differ from those it was made with; bounded.
 */
export class ScrubbedReasons {
  readonly #scrubbed = new Map<string, string>();
  #secrets: readonly string[] = [];

  scrub(reason: string): string {
    const secrets = knownSecrets.values();
    if (secrets.length !== this.#secrets.length || secrets.some((secret, index) => secret !== this.#secrets[index])) {
      this.#scrubbed.clear();
      this.#secrets = secrets;
    }
    let scrubbed = this.#scrubbed.get(reason);
    if (scrubbed === undefined) {
      scrubbed = scrubSecrets(reason, secrets);
      if (this.#scrubbed.size >= 500) this.#scrubbed.clear();
      this.#scrubbed.set(reason, scrubbed);
    }
    return scrubbed;
  }
}
