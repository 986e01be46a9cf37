import { knownSecrets } from './knownSecrets.ts';
import { scrubSecrets } from './scrubSecrets.ts';

/**
 * Whether a text the user gives for a field that is no key (a name, an address) holds one: a
 * key-shaped string (`sk-…`, `AKIA…`), a value after a word that names a secret, a key this
 * process uses, or `given` (a key entered with it, 8 characters or more). Such a text would be
 * stored, listed, logged and exported with the key in it.
 */
export function holdsKey(text: string, given?: string): boolean {
  const extra = given?.trim() ?? '';
  const secrets = extra.length >= 8 ? [...knownSecrets.values(), extra] : knownSecrets.values();
  return scrubSecrets(text, secrets) !== text;
}
