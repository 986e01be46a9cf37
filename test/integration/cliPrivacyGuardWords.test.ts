// `settings privacy-guard` says what the guard will take out: with no kinds chosen (`--kinds ''`,
// or every box cleared on the Settings page) it takes out only the user's terms, or nothing but
// the app's own keys, and says so instead of "on ()".
import { afterAll, describe, expect, it } from 'vitest';
import { runBin } from '../support/cliProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

describe('settings privacy-guard in words', () => {
  it('with no kinds chosen says that only the terms, or nothing but the keys in use, are taken out', async () => {
    const env = { SERVICE_CREATOR_HOME: createTempDir('sc-int-guard-words-') };
    const none = await runBin(['settings', 'privacy-guard', 'on', '--kinds', ''], env);
    expect(none.code).toBe(0);
    expect(none.stdout.trim()).toBe('The privacy guard is on, but takes out nothing but the keys in use: no kind is chosen and there are no terms of your own');
    const termsOnly = await runBin(['settings', 'privacy-guard', 'on', '--term', 'Acme'], env);
    expect(termsOnly.stdout.trim()).toBe('The privacy guard is on (1 term of your own only)');
    expect((await runBin(['settings', 'get'], env)).stdout).toContain('privacyGuard: on (1 term of your own only)');
    const usual = await runBin(['settings', 'privacy-guard', 'on', '--kinds', 'email,phone'], env);
    expect(usual.stdout.trim()).toBe('The privacy guard is on (email, phone; 1 term of your own)');
  }, 60_000);
});
