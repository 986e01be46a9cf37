import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNotInFiles, plantedSecret } from '../../support/plantedSecret.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const storeModule = new URL('../../../src-main/secrets/createKeychainSecretStore.ts', import.meta.url).href;
const keyringModule = import.meta.resolve('@napi-rs/keyring');

/**
 * Runs in a child Node (the real @napi-rs/keyring, no fakes) with no reachable Secret Service:
 * every operation must reject with KeychainUnavailableError. The child prints one JSON line.
 */
const childScript = `
const { createKeychainSecretStore } = await import(${JSON.stringify(storeModule)});
const secret = process.env.SC_PLANTED;
delete process.env.SC_PLANTED;
const store = createKeychainSecretStore({ service: 'service-creator-unit-test' });
const outcome = {};
for (const [name, run] of Object.entries({
  set: () => store.set('no-service-test', secret),
  get: () => store.get('no-service-test'),
  has: () => store.has('no-service-test'),
  delete: () => store.delete('no-service-test'),
})) {
  try {
    outcome[name] = { ok: true, value: await run() };
  } catch (error) {
    outcome[name] = { ok: false, name: error.name, code: error.code, reason: error.reason, message: error.message };
  }
}
// Proof there was no silent fallback: left unpinned, @napi-rs/keyring falls back to the kernel
// keyring when D-Bus is unreachable; if our set had landed there, this would read it back.
try {
  const { Entry } = await import(${JSON.stringify(keyringModule)});
  outcome.fallbackRead = new Entry('service-creator-unit-test', 'no-service-test').getPassword();
} catch {
  outcome.fallbackRead = null;
}
process.stdout.write(JSON.stringify(outcome) + '\\n');
`;

interface Outcome {
  ok: boolean;
  value?: unknown;
  name?: string;
  code?: string;
  reason?: string;
  message?: string;
}

describe.runIf(process.platform === 'linux')('with no Secret Service (real @napi-rs/keyring in a child process)', () => {
  const tempDir = useTempDirs();

  it.each([
    ['DBUS_SESSION_BUS_ADDRESS points to a missing socket', 'unix:path=/nonexistent/sc-no-bus'],
    ['DBUS_SESSION_BUS_ADDRESS is unset', undefined],
  ])('%s: every operation throws KeychainUnavailableError, nothing is stored anywhere', (_name, busAddress) => {
    const home = tempDir('sc-no-keychain-');
    for (const sub of ['data', 'config', 'runtime', 'cache']) mkdirSync(join(home, sub), { mode: 0o700 });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_RUNTIME_DIR: join(home, 'runtime'),
      XDG_CACHE_HOME: join(home, 'cache'),
      SC_PLANTED: plantedSecret,
    };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    delete env.GNOME_KEYRING_CONTROL;
    if (busAddress === undefined) delete env.DBUS_SESSION_BUS_ADDRESS;
    else env.DBUS_SESSION_BUS_ADDRESS = busAddress;

    const child = spawnSync(process.execPath, ['--input-type=module', '--eval', childScript], { cwd: home, env, encoding: 'utf8', timeout: 20_000 });
    // Not a crash: a clean exit with a report.
    expect(child.signal, child.stderr).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    const outcome = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, Outcome> & { fallbackRead: string | null };

    for (const operation of ['set', 'get', 'has', 'delete']) {
      const result = outcome[operation];
      expect(result, operation).toMatchObject({ ok: false, name: 'KeychainUnavailableError', code: 'KEYCHAIN_UNAVAILABLE', reason: 'no-service' });
      expect(result?.message).toMatch(/^No Secret Service is running: install and unlock GNOME Keyring or KWallet/);
    }
    expect(outcome.fallbackRead).toBeNull();
    expect(child.stdout).not.toContain(plantedSecret);
    expect(child.stderr).not.toContain(plantedSecret);
    // No plaintext fallback: the secret is in no file under the child's HOME / XDG folders.
    assertNotInFiles(home, plantedSecret);
  });
});
