/**
 * The key typed at `providers add`'s prompt on a real pseudo-terminal reaches the OS keychain as
 * typed (corrections applied) and is never shown: the provider later receives exactly that key,
 * and the terminal never showed it. Runs under scripts/withKeychain.sh.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cliProcess.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { runBinOnPty } from '../support/ptyProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

describe('the key prompt of providers add', () => {
  it('stores the typed key in the keychain without showing it', async () => {
    if (process.env.SERVICE_CREATOR_KEYCHAIN_TEST !== '1') {
      throw new Error('Run under a throwaway Secret Service: bash scripts/withKeychain.sh npx vitest run --project keychain');
    }
    const key = `sk-typed-${randomBytes(12).toString('hex')}`;
    const home = createTempDir('sc-keychain-prompt-');
    const env = { SERVICE_CREATOR_HOME: home, OPENAI_API_KEY: '' };
    const fake = await startFakeOpenAiServer({ models: ['m1'] });
    try {
      const session = await runBinOnPty(
        ['providers', 'add', '--id', 'typed', '--type', 'openai', '--cloud', '--base-url', fake.url, '--model', 'm1'],
        env,
        [{ waitFor: 'API key for typed', type: [...key.slice(0, 10).split(''), 'Q', '\u007f', key.slice(10), '\r'] }],
      );
      const screen = session.screen.toString('utf8');
      expect(session.code, screen).toBe(0);
      expect(screen).toContain('Added typed');
      expect(screen).toContain('key from keychain');
      expect(screen).not.toContain(key.slice(0, 6));
      expect(screen).not.toContain(key.slice(-6));
      // Local-only (the default): nothing was sent while adding.
      expect(fake.requests).toEqual([]);

      expect((await runBin(['settings', 'set', 'privacyMode', 'cloud-allowed'], env)).code).toBe(0);
      const tested = await runBin(['providers', 'test', 'typed'], env);
      expect(tested.code, tested.stderr).toBe(0);
      expect(fake.requests.map((request) => request.apiKey)).toEqual([key]);
      expect((await runBin(['providers', 'remove', 'typed'], env)).code).toBe(0);
    } finally {
      await fake.close();
    }
  }, 120_000);
});
