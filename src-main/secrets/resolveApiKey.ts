import { KeychainUnavailableError } from './KeychainUnavailableError.ts';
import { knownSecrets } from './knownSecrets.ts';
import type { SecretStore } from './SecretStore.ts';

export type ApiKeySource = 'env' | 'keychain';

/** The provider fields that decide where its key comes from (a ProviderConfig fits). */
export interface ApiKeyLookup {
  providerId: string;
  /** The conventional variable of the provider's type (its descriptor's `envVar`), if any. */
  defaultEnv?: string | undefined;
  /** An environment variable named for this provider; wins over everything when it is set. */
  apiKeyEnv?: string | undefined;
}

export interface ResolvedApiKey {
  key: string;
  source: ApiKeySource;
  /** The variable it came from, when `source` is 'env'. */
  envVar?: string;
}

/** What the renderer may learn about a key: whether there is one and where it lives; never the key. */
export interface KeyStatus {
  configured: boolean;
  source: ApiKeySource | null;
}

type Env = Readonly<Record<string, string | undefined>>;

function readEnv(env: Env, name: string | undefined): ResolvedApiKey | undefined {
  if (!name) return undefined;
  const value = env[name]?.trim();
  return value ? { key: value, source: 'env', envVar: name } : undefined;
}

/**
 * The API key for a provider, or `undefined` when there is none. Environment variables are only
 * read, never written. Precedence:
 * 1. the variable named by the provider's `apiKeyEnv`: the user set it for this provider on
 *    purpose (CI, per-project shells), so it beats anything stored;
 * 2. the keychain: the key entered in the app. It beats the conventional variable because
 *    `OPENAI_API_KEY` / `ANTHROPIC_API_KEY` are often exported in a developer's shell for other
 *    tools; letting them win would silently replace the key the user typed in (and bill another
 *    account) with no sign in the UI;
 * 3. the conventional variable for the type (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`): the headless
 *    path. When the keychain is unavailable (no Secret Service) this is used instead; when it is
 *    unset too, the KeychainUnavailableError is rethrown, since its message says what to do.
 */
export async function resolveApiKey(lookup: ApiKeyLookup, store: SecretStore, env: Env = process.env): Promise<ResolvedApiKey | undefined> {
  const resolved = await lookUp(lookup, store, env);
  // A key in use is known to the scrubber from now on, so no text leaving the core can carry it.
  knownSecrets.add(resolved?.key);
  return resolved;
}

async function lookUp(lookup: ApiKeyLookup, store: SecretStore, env: Env): Promise<ResolvedApiKey | undefined> {
  const explicit = readEnv(env, lookup.apiKeyEnv);
  if (explicit) return explicit;
  let keychainError: KeychainUnavailableError | undefined;
  try {
    const key = await store.get(lookup.providerId);
    if (key !== undefined && key !== '') return { key, source: 'keychain' };
  } catch (error) {
    if (!(error instanceof KeychainUnavailableError)) throw error;
    keychainError = error;
  }
  const fallback = readEnv(env, lookup.defaultEnv);
  if (fallback) return fallback;
  if (keychainError) throw keychainError;
  return undefined;
}

/** Whether a key is configured and where, for the renderer. Same precedence as resolveApiKey. */
export async function keyStatus(lookup: ApiKeyLookup, store: SecretStore, env: Env = process.env): Promise<KeyStatus> {
  const resolved = await resolveApiKey(lookup, store, env);
  return resolved ? { configured: true, source: resolved.source } : { configured: false, source: null };
}
