import {
  KeychainUnavailableError,
  platformStoreName,
  sanitizeNativeMessage,
  type KeychainFailureReason,
  type KeychainOperation,
} from './KeychainUnavailableError.ts';
import { keychainServiceName, validateAccount, validateSecret, type SecretStore } from './SecretStore.ts';

/** The part of `@napi-rs/keyring`'s `AsyncEntry` we use; sync returns are accepted for fakes. */
export interface KeyringEntry {
  getPassword(): Promise<string | null> | string | null;
  setPassword(password: string): Promise<void> | void;
  deletePassword(): Promise<boolean> | boolean;
}

/** Opens the entry for (service, account); may throw when the store cannot be reached. */
export type LoadEntry = (service: string, account: string) => Promise<KeyringEntry> | KeyringEntry;

export interface KeychainSecretStoreOptions {
  /** Injected in unit tests; defaults to `@napi-rs/keyring`, pinned to the Secret Service on Linux. */
  loadEntry?: LoadEntry;
  platform?: NodeJS.Platform;
  /** Keychain service name; tests against a real keychain use their own. */
  service?: string;
}

/**
 * The real store. On Linux the entry is pinned to the Secret Service: left to its default,
 * `@napi-rs/keyring` silently falls back to the kernel keyring (keyutils), which is not the
 * user's keychain and is lost at logout/reboot. With the pin, no Secret Service means an error.
 */
export const loadNativeEntry: LoadEntry = async (service, account) => {
  const keyring = await import('@napi-rs/keyring').catch((error: unknown) => {
    throw new NativeModuleMissing(error);
  });
  return new keyring.AsyncEntry(service, account, { linux: { store: 'secret-service' } });
};

class NativeModuleMissing extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NativeModuleMissing';
  }
}

function nativeMessage(error: unknown): string {
  if (error instanceof Error) {
    // napi errors chain causes ("Platform failure: DBus error: …" ← "DBus error: …"); the top
    // message already contains the chain's text.
    return error.message;
  }
  return typeof error === 'string' ? error : 'unknown error';
}

/** keyring-rs's "no entry", for versions that throw it instead of returning null/false. */
export function isNoEntryError(error: unknown): boolean {
  return /no matching entry|NoEntry\b/i.test(nativeMessage(error));
}

/** Sorts a native keychain failure into a reason the user can act on. */
export function classifyKeychainError(error: unknown): KeychainFailureReason {
  if (error instanceof NativeModuleMissing) return 'module-missing';
  const message = nativeMessage(error);
  if (/prompt was dismissed|\blocked\b|unlock|errSecInteractionNotAllowed|interaction is not allowed|-25308\b|errSecAuthFailed|-25293\b/i.test(message)) {
    return 'locked';
  }
  if (/no result found|no default collection|collection .*not found/i.test(message)) return 'no-default-keyring';
  if (
    /dbus|d-bus|failed to connect to socket|autolaunch|DBUS_SESSION_BUS_ADDRESS|ServiceUnknown|org\.freedesktop\.secrets|was not provided by any \.service files|no such (file|interface)|connection refused|secret service.*(not|un)available/i.test(
      message,
    )
  ) {
    return 'no-service';
  }
  return 'failed';
}

/**
 * A SecretStore over the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service
 * on Linux) via `@napi-rs/keyring`. Every native failure becomes KeychainUnavailableError, except
 * "no entry" (→ undefined / false). Keys are never written anywhere else, and never appear in an
 * error: native messages are sanitized and the native error is not kept as `cause`.
 */
export function createKeychainSecretStore(options: KeychainSecretStoreOptions = {}): SecretStore {
  const loadEntry = options.loadEntry ?? loadNativeEntry;
  const platform = options.platform ?? process.platform;
  const service = options.service ?? keychainServiceName;

  function unavailable(error: unknown, operation: KeychainOperation, secret?: string): KeychainUnavailableError {
    if (error instanceof KeychainUnavailableError) return error;
    return new KeychainUnavailableError({
      reason: classifyKeychainError(error),
      platform,
      operation,
      detail: sanitizeNativeMessage(nativeMessage(error), secret),
    });
  }

  async function get(account: string): Promise<string | undefined> {
    const name = validateAccount(account);
    try {
      const entry = await loadEntry(service, name);
      const value = await entry.getPassword();
      return typeof value === 'string' ? value : undefined;
    } catch (error) {
      if (isNoEntryError(error)) return undefined;
      throw unavailable(error, 'read');
    }
  }

  return {
    backend: platformStoreName(platform),
    get,
    async set(account, secret) {
      const name = validateAccount(account);
      const value = validateSecret(secret);
      try {
        const entry = await loadEntry(service, name);
        await entry.setPassword(value);
      } catch (error) {
        throw unavailable(error, 'write', value);
      }
    },
    async delete(account) {
      const name = validateAccount(account);
      try {
        const entry = await loadEntry(service, name);
        return (await entry.deletePassword()) === true;
      } catch (error) {
        if (isNoEntryError(error)) return false;
        throw unavailable(error, 'delete');
      }
    },
    async has(account) {
      return (await get(account)) !== undefined;
    },
  };
}
