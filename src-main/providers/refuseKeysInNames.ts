import { AppError } from '../../src-shared/AppError.ts';
import { holdsKey as keyIn } from '../secrets/holdsKey.ts';

/**
 * A provider's id or name, its address (a key in its path, past the query and user checks of the
 * schema) or a model name (in a provider, a task's routing, a price) that holds a key
 * (the key pasted into the wrong field, a key-shaped `sk-…`, a key this process uses or is given
 * with it) would be stored in the database and listed, logged and exported with it: refused, in
 * words, without repeating it. Keys go in the key field, where the keychain keeps them.
 */
export function refuseKeysInNames(names: { id?: string; label?: string; models: readonly string[]; baseUrl?: string | undefined }, apiKey?: string): void {
  const holdsKey = (text: string) => keyIn(text, apiKey);
  if (names.label !== undefined && holdsKey(names.label)) throw new AppError('INVALID_INPUT', 'The name cannot hold an API key: put the key in the key field, where the keychain keeps it');
  if (names.baseUrl !== undefined && holdsKey(names.baseUrl)) throw new AppError('INVALID_INPUT', 'The address cannot hold an API key: put the key in the key field, where the keychain keeps it');
  // The id is stored with every attempt and audit row, and shown wherever the provider is (a key-shaped one is a valid id: `sk-` and 32 hex digits).
  if (names.id !== undefined && holdsKey(names.id)) throw new AppError('INVALID_INPUT', 'The id cannot hold an API key: put the key in the key field, where the keychain keeps it');
  if (names.models.some(holdsKey)) throw new AppError('INVALID_INPUT', 'A model name cannot hold an API key: put the key in the key field, where the keychain keeps it');
}
