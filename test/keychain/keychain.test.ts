/**
 * The real OS keychain, end to end. Runs only under a throwaway Secret Service:
 *
 *   bash scripts/withKeychain.sh npx vitest run --project keychain
 *
 * (scripts/withKeychain.sh starts a private D-Bus session with an unlocked GNOME Keyring in a temp
 * folder and sets SERVICE_CREATOR_KEYCHAIN_TEST=1.) Run without it, every test fails with that
 * instruction, rather than passing vacuously or touching the user's own keyring.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKeychainSecretStore } from '../../src-main/secrets/createKeychainSecretStore.ts';
import { keyStatus, resolveApiKey } from '../../src-main/secrets/resolveApiKey.ts';
import { maxSecretBytes } from '../../src-main/secrets/SecretStore.ts';
import { assertNotInFiles, plantedSecret } from '../support/plantedSecret.ts';

const runHint = 'Run the keychain tests under a throwaway Secret Service: bash scripts/withKeychain.sh npx vitest run --project keychain';
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const service = 'service-creator-keychain-test';
const store = createKeychainSecretStore({ service });
const accounts = ['kc-openai', 'kc-anthropic', 'kc-unicode', 'kc-large', 'kc-planted'];

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

beforeAll(() => {
  if (process.env.SERVICE_CREATOR_KEYCHAIN_TEST !== '1') throw new Error(`SERVICE_CREATOR_KEYCHAIN_TEST is not set. ${runHint}`);
  if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error(`No D-Bus session bus. ${runHint}`);
});

afterEach(async () => {
  if (process.env.SERVICE_CREATOR_KEYCHAIN_TEST !== '1') return;
  for (const account of accounts) await store.delete(account);
});

describe(`real keychain (${store.backend})`, () => {
  it('round-trips set / get / has / delete', async () => {
    expect(await store.get('kc-openai')).toBeUndefined();
    expect(await store.has('kc-openai')).toBe(false);
    await store.set('kc-openai', 'sk-real-keychain-1');
    expect(await store.get('kc-openai')).toBe('sk-real-keychain-1');
    expect(await store.has('kc-openai')).toBe(true);
    expect(await store.delete('kc-openai')).toBe(true);
    expect(await store.get('kc-openai')).toBeUndefined();
    expect(await store.has('kc-openai')).toBe(false);
    expect(await store.delete('kc-openai')).toBe(false);
  });

  it('overwrites an existing secret in place', async () => {
    await store.set('kc-openai', 'sk-first');
    await store.set('kc-openai', 'sk-second');
    expect(await store.get('kc-openai')).toBe('sk-second');
    // One item, not two: a single delete removes it.
    expect(await store.delete('kc-openai')).toBe(true);
    expect(await store.has('kc-openai')).toBe(false);
  });

  it('stores unicode secrets byte for byte', async () => {
    const unicode = 'clé-🔑-鍵-ключ-e\u0301-\u{1F469}\u200D\u{1F4BB}';
    await store.set('kc-unicode', unicode);
    expect(await store.get('kc-unicode')).toBe(unicode);
  });

  it('stores a secret at the 16 KiB limit', async () => {
    const large = `sk-${'x'.repeat(maxSecretBytes - 3)}`;
    await store.set('kc-large', large);
    expect(await store.get('kc-large')).toBe(large);
  });

  it('keeps two accounts independent', async () => {
    await store.set('kc-openai', 'sk-openai');
    await store.set('kc-anthropic', 'sk-ant-anthropic');
    expect(await store.get('kc-openai')).toBe('sk-openai');
    expect(await store.get('kc-anthropic')).toBe('sk-ant-anthropic');
    expect(await store.delete('kc-openai')).toBe(true);
    expect(await store.get('kc-openai')).toBeUndefined();
    expect(await store.get('kc-anthropic')).toBe('sk-ant-anthropic');
  });

  it('keeps services apart (the app\'s own entries are not touched)', async () => {
    await store.set('kc-openai', 'sk-test-service');
    expect(await createKeychainSecretStore().get('kc-openai')).toBeUndefined();
  });

  it('is persisted by the Secret Service, not kept in memory by us', async () => {
    await store.set('kc-openai', 'sk-visible-to-secret-tool');
    // A fresh store object sees it.
    expect(await createKeychainSecretStore({ service }).get('kc-openai')).toBe('sk-visible-to-secret-tool');
    if (process.platform === 'linux' && hasCommand('secret-tool')) {
      // And so does another Secret Service client (libsecret), proving it is in the keyring.
      const lookup = spawnSync('secret-tool', ['lookup', 'service', service, 'username', 'kc-openai'], { encoding: 'utf8' });
      expect(lookup.status, lookup.stderr).toBe(0);
      expect(lookup.stdout).toBe('sk-visible-to-secret-tool');
    }
  });

  it('feeds resolveApiKey / keyStatus (keychain beats OPENAI_API_KEY)', async () => {
    await store.set('kc-openai', 'sk-from-keychain');
    const lookup = { providerId: 'kc-openai', defaultEnv: 'OPENAI_API_KEY' } as const;
    expect(await resolveApiKey(lookup, store, { OPENAI_API_KEY: 'sk-from-env' })).toEqual({ key: 'sk-from-keychain', source: 'keychain' });
    expect(await keyStatus(lookup, store, {})).toStrictEqual({ configured: true, source: 'keychain' });
  });

  it('is encrypted at rest: the keyring files never hold the key in the clear', async () => {
    await store.set('kc-planted', plantedSecret);
    expect(await store.get('kc-planted')).toBe(plantedSecret);
    // scripts/withKeychain.sh keeps GNOME Keyring's files in its temp XDG_DATA_HOME.
    const dataHome = process.env.XDG_DATA_HOME ?? '';
    if (process.platform === 'linux' && dataHome.includes('sc-keychain-')) {
      const keyrings = join(dataHome, 'keyrings');
      expect(existsSync(keyrings) && readdirSync(keyrings).some((name) => name.endsWith('.keyring'))).toBe(true);
      assertNotInFiles(keyrings, plantedSecret);
    }
  });
});

describe.runIf(process.platform === 'linux')('a locked Secret Service keyring', () => {
  it('every operation throws KeychainUnavailableError (locked), never prompts or falls back', () => {
    if (!hasCommand('dbus-send')) throw new Error('dbus-send is missing: apt-get install -y dbus');
    // Its own throwaway keyring (nested scripts/withKeychain.sh), so locking it cannot disturb the
    // other tests: store a key, lock the default collection over D-Bus, then try to use it.
    const storeModule = new URL('../../src-main/secrets/createKeychainSecretStore.ts', import.meta.url).href;
    const child = `
      import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
      const { createKeychainSecretStore } = await import(${JSON.stringify(storeModule)});
      const store = createKeychainSecretStore({ service: ${JSON.stringify(service)} });
      await store.set('kc-locked', 'sk-before-lock');
      const lock = spawnSync('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets',
        'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/aliases/default'], { encoding: 'utf8' });
      const out = { lock: lock.status };
      for (const [name, run] of Object.entries({ get: () => store.get('kc-locked'), set: () => store.set('kc-locked', 'sk-after-lock'), delete: () => store.delete('kc-locked') })) {
        try { out[name] = { ok: true, value: await run() }; }
        catch (error) { out[name] = { ok: false, name: error.name, reason: error.reason, message: error.message }; }
      }
      console.log(JSON.stringify(out));
    `;
    const run = spawnSync('bash', ['scripts/withKeychain.sh', process.execPath, '--input-type=module', '--eval', child], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, { ok: boolean; name?: string; reason?: string; message?: string }> & { lock: number };
    expect(out.lock).toBe(0);
    for (const operation of ['get', 'set', 'delete']) {
      expect(out[operation], operation).toMatchObject({ ok: false, name: 'KeychainUnavailableError', reason: 'locked' });
      expect(out[operation]?.message).toMatch(/locked.*unlock GNOME Keyring or KWallet/);
      expect(out[operation]?.message).not.toContain('sk-after-lock');
    }
  });
});
