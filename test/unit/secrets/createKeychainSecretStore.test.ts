import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src-shared/AppError.ts';
import {
  classifyKeychainError,
  createKeychainSecretStore,
  type KeyringEntry,
  type LoadEntry,
} from '../../../src-main/secrets/createKeychainSecretStore.ts';
import { KeychainUnavailableError, sanitizeNativeMessage } from '../../../src-main/secrets/KeychainUnavailableError.ts';
import { keychainServiceName } from '../../../src-main/secrets/SecretStore.ts';

/** An in-memory keychain keyed by service + account, shaped like @napi-rs/keyring's AsyncEntry. */
function fakeKeyring() {
  const items = new Map<string, string>();
  const calls: { service: string; account: string }[] = [];
  const loadEntry: LoadEntry = (service, account) => {
    calls.push({ service, account });
    const key = `${service}\u0000${account}`;
    const entry: KeyringEntry = {
      getPassword: async () => items.get(key) ?? null,
      setPassword: async (password) => {
        items.set(key, password);
      },
      deletePassword: async () => items.delete(key),
    };
    return entry;
  };
  return { items, calls, loadEntry };
}

/** An entry whose every operation throws the given native error. */
function failingEntry(error: unknown): LoadEntry {
  const fail = () => {
    throw error;
  };
  return () => ({ getPassword: fail, setPassword: fail, deletePassword: fail });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

function napiError(message: string): Error {
  // What @napi-rs/keyring throws: an Error with code GenericFailure and a cause chain.
  return Object.assign(new Error(message), { code: 'GenericFailure', cause: new Error(message.replace(/^[^:]+: /, '')) });
}

const secret = 'sk-unit-test-SECRET-0123456789abcdef';

describe('createKeychainSecretStore with a fake keyring', () => {
  it('round-trips set/get/has/delete under the service-creator service', async () => {
    const keyring = fakeKeyring();
    const store = createKeychainSecretStore({ loadEntry: keyring.loadEntry, platform: 'linux' });
    expect(await store.get('openai-main')).toBeUndefined();
    expect(await store.has('openai-main')).toBe(false);
    await store.set('openai-main', secret);
    expect(await store.get('openai-main')).toBe(secret);
    expect(await store.has('openai-main')).toBe(true);
    expect(await store.delete('openai-main')).toBe(true);
    expect(await store.delete('openai-main')).toBe(false);
    expect(await store.get('openai-main')).toBeUndefined();
    expect(new Set(keyring.calls.map((call) => call.service))).toEqual(new Set([keychainServiceName]));
  });

  it('overwrites and keeps accounts apart', async () => {
    const keyring = fakeKeyring();
    const store = createKeychainSecretStore({ loadEntry: keyring.loadEntry });
    await store.set('openai-main', 'sk-one');
    await store.set('anthropic-main', 'sk-ant-two');
    await store.set('openai-main', 'sk-three');
    expect(await store.get('openai-main')).toBe('sk-three');
    expect(await store.get('anthropic-main')).toBe('sk-ant-two');
  });

  it('uses a custom service name when given', async () => {
    const keyring = fakeKeyring();
    await createKeychainSecretStore({ loadEntry: keyring.loadEntry, service: 'service-creator-test' }).set('a', 'sk-x');
    expect(keyring.calls).toEqual([{ service: 'service-creator-test', account: 'a' }]);
  });

  it('accepts synchronous entries (the sync Entry API)', async () => {
    let stored: string | null = null;
    const store = createKeychainSecretStore({
      loadEntry: () => ({
        getPassword: () => stored,
        setPassword: (password) => {
          stored = password;
        },
        deletePassword: () => {
          const existed = stored !== null;
          stored = null;
          return existed;
        },
      }),
    });
    await store.set('openai-main', 'sk-sync');
    expect(await store.get('openai-main')).toBe('sk-sync');
    expect(await store.delete('openai-main')).toBe(true);
  });

  it('names the platform store as its backend', () => {
    const { loadEntry } = fakeKeyring();
    expect(createKeychainSecretStore({ loadEntry, platform: 'linux' }).backend).toBe('Secret Service');
    expect(createKeychainSecretStore({ loadEntry, platform: 'darwin' }).backend).toBe('macOS Keychain');
    expect(createKeychainSecretStore({ loadEntry, platform: 'win32' }).backend).toBe('Windows Credential Manager');
  });

  it('validates before touching the keychain', async () => {
    const loadEntry = vi.fn(fakeKeyring().loadEntry);
    const store = createKeychainSecretStore({ loadEntry });
    for (const attempt of [store.get('Bad Account'), store.set('openai-main', ''), store.set('openai-main', 'a\u0000b'), store.delete(''), store.has('x'.repeat(101))]) {
      const error = await rejection(attempt);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INVALID_INPUT');
    }
    expect(loadEntry).not.toHaveBeenCalled();
  });

  it('does not leak the secret when the arguments are swapped', async () => {
    const store = createKeychainSecretStore({ loadEntry: fakeKeyring().loadEntry });
    const error = await rejection(store.set(secret, 'openai-main'));
    expect((error as AppError).code).toBe('INVALID_INPUT');
    expect(error.message).not.toContain(secret);
  });
});

describe('native error mapping', () => {
  const cases: [string, string, string][] = [
    ['no session bus', 'Platform failure: DBus error: Failed to connect to socket /nonexistent: No such file or directory', 'no-service'],
    ['bus address unset', 'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead', 'no-service'],
    ['no Secret Service on the bus', 'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files', 'no-service'],
    ['locked keyring', "Couldn't access platform storage: Secret Service: unlock prompt was dismissed", 'locked'],
    ['no default keyring', "Couldn't access platform storage: Secret Service: no result found", 'no-default-keyring'],
    ['macOS locked', 'Platform failure: User interaction is not allowed. (errSecInteractionNotAllowed)', 'locked'],
    ['ambiguous', 'Entry is matched by 2 credentials: [...]', 'failed'],
    ['anything else', 'Platform failure: something odd', 'failed'],
  ];

  it.each(cases)('%s → KeychainUnavailableError (%#)', async (_name, message, reason) => {
    const store = createKeychainSecretStore({ loadEntry: failingEntry(napiError(message)), platform: 'linux' });
    for (const attempt of [store.get('openai-main'), store.set('openai-main', secret), store.delete('openai-main'), store.has('openai-main')]) {
      const error = await rejection(attempt);
      expect(error).toBeInstanceOf(KeychainUnavailableError);
      expect(error).toBeInstanceOf(AppError);
      const keychainError = error as KeychainUnavailableError;
      expect(keychainError.code).toBe('KEYCHAIN_UNAVAILABLE');
      expect(keychainError.reason).toBe(reason);
      expect(keychainError.retryable).toBe(false);
      // The native error is not kept: a logged cause chain cannot carry a secret.
      expect(keychainError.cause).toBeUndefined();
      expect(keychainError.message).toMatch(/OPENAI_API_KEY \/ ANTHROPIC_API_KEY/);
    }
    expect(classifyKeychainError(napiError(message))).toBe(reason);
  });

  it('says what to do when no Secret Service is running', async () => {
    const store = createKeychainSecretStore({ loadEntry: failingEntry(napiError(cases[0]![1])), platform: 'linux' });
    const error = (await rejection(store.get('openai-main'))) as KeychainUnavailableError;
    expect(error.message).toMatch(
      /^No Secret Service is running: install and unlock GNOME Keyring or KWallet, or set OPENAI_API_KEY \/ ANTHROPIC_API_KEY .*in the environment for headless use\./,
    );
    expect(error.message).toContain('Failed to connect to socket /nonexistent');
    expect(error.operation).toBe('read');
    expect(error.name).toBe('KeychainUnavailableError');
  });

  it('names the store on macOS and Windows', async () => {
    const mac = await rejection(createKeychainSecretStore({ loadEntry: failingEntry(napiError('Platform failure: boom')), platform: 'darwin' }).set('a', 'sk-x'));
    expect(mac.message).toMatch(/macOS Keychain/);
    const win = await rejection(createKeychainSecretStore({ loadEntry: failingEntry(napiError('Platform failure: boom')), platform: 'win32' }).set('a', 'sk-x'));
    expect(win.message).toMatch(/Windows Credential Manager/);
  });

  it('maps a throwing loadEntry (store unreachable when the entry is opened)', async () => {
    const store = createKeychainSecretStore({
      loadEntry: () => {
        throw napiError('Platform failure: DBus error: Failed to connect to socket /run/user/0/bus: Connection refused');
      },
      platform: 'linux',
    });
    const error = (await rejection(store.set('openai-main', secret))) as KeychainUnavailableError;
    expect(error).toBeInstanceOf(KeychainUnavailableError);
    expect(error.reason).toBe('no-service');
    expect(error.operation).toBe('write');
  });

  it('maps non-Error throws', async () => {
    const error = await rejection(createKeychainSecretStore({ loadEntry: failingEntry('weird'), platform: 'linux' }).get('a'));
    expect(error).toBeInstanceOf(KeychainUnavailableError);
  });

  it('treats a thrown "no entry" as absent, not as an outage', async () => {
    const store = createKeychainSecretStore({ loadEntry: failingEntry(napiError('No matching entry found in secure storage')) });
    expect(await store.get('openai-main')).toBeUndefined();
    expect(await store.has('openai-main')).toBe(false);
    expect(await store.delete('openai-main')).toBe(false);
    // Writing never reports "no entry"; if it somehow did, it is still a failure, not a success.
    await expect(store.set('openai-main', secret)).rejects.toBeInstanceOf(KeychainUnavailableError);
  });
});

describe('the secret never appears in an error', () => {
  const leakyMessages = [
    `Platform failure: could not store password ${secret}`,
    `Platform failure: bad value "${secret}"`,
    `Platform failure: Credential on platform has bad encoding: ${JSON.stringify([...Buffer.from(secret)])}`,
    `Couldn't access platform storage: ${secret.replace('SECRET', 'OTHER')} rejected`,
  ];

  it.each(leakyMessages)('strips it from a native message that contains it (%#)', async (message) => {
    const store = createKeychainSecretStore({ loadEntry: failingEntry(napiError(message)), platform: 'linux' });
    for (const attempt of [store.set('openai-main', secret), store.get('openai-main'), store.delete('openai-main')]) {
      const error = (await rejection(attempt)) as KeychainUnavailableError;
      const everything = `${error.message} ${error.detail ?? ''} ${error.stack ?? ''} ${JSON.stringify(error)} ${String(error.cause)}`;
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain('0123456789abcdef');
      expect(everything).not.toContain(Buffer.from(secret).join(', '));
    }
  });

  it('keeps the useful part of a native message', () => {
    expect(sanitizeNativeMessage(`failed to store ${secret} in collection login`, secret)).toBe('failed to store [redacted] in collection login');
    expect(sanitizeNativeMessage('bad bytes [115, 107, 45, 120, 121]')).toBe('bad bytes [bytes redacted]');
    expect(sanitizeNativeMessage('  multi\nline\tmessage ')).toBe('multi line message');
    expect(sanitizeNativeMessage('x'.repeat(1000))).toHaveLength(301);
  });

  it('strips a secret containing quotes in its JSON-escaped form', () => {
    const quoted = 'sk-"quoted"\\secret';
    expect(sanitizeNativeMessage(`value ${JSON.stringify(quoted)}`, quoted)).not.toContain('quoted');
  });
});

describe('KeychainUnavailableError', () => {
  it('is an AppError with the KEYCHAIN_UNAVAILABLE code', () => {
    const error = new KeychainUnavailableError({ reason: 'no-service', platform: 'linux' });
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(error.message).toBe(
      "No Secret Service is running: install and unlock GNOME Keyring or KWallet, or set OPENAI_API_KEY / ANTHROPIC_API_KEY (or the provider's apiKeyEnv variable) in the environment for headless use.",
    );
  });

  it.each(['locked', 'no-default-keyring', 'module-missing', 'failed'] as const)('has advice for %s', (reason) => {
    const error = new KeychainUnavailableError({ reason, platform: 'linux', operation: 'write' });
    expect(error.message).toMatch(/GNOME Keyring|reinstall/);
    expect(error.message).toMatch(/headless use\.$/);
  });
});
