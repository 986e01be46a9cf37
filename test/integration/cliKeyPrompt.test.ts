// The API key prompt of `providers add`, on a real pseudo-terminal: the typed key must not appear
// in anything the terminal received (no echo, not even '*'), while the prompt does. This machine
// has no keychain outside scripts/withKeychain.sh, so the add then fails in words, and the key
// is not in that message either; test/keychain/keyPrompt.test.ts checks the key is stored.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { runBinOnPty } from '../support/ptyProcess.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

afterAll(() => removeTempDirs());

const prompt = 'API key for gpt';

describe('the API key prompt on a terminal', () => {
  it('does not echo a typed key (typed one character at a time, with a correction)', async () => {
    const key = `sk-typed-${randomBytes(12).toString('hex')}`;
    const home = createTempDir('sc-int-key-prompt-');
    const typed = [...key.slice(0, 12).split(''), 'Z', '\u007f', key.slice(12), '\r'];
    const session = await runBinOnPty(
      ['providers', 'add', '--id', 'gpt', '--type', 'openai', '--cloud', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm1'],
      { SERVICE_CREATOR_HOME: home, OPENAI_API_KEY: '', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
      [{ waitFor: prompt, type: typed }],
    );
    const screen = session.screen.toString('utf8');
    expect(session.pending).toEqual([]);
    expect(screen).toContain(`${prompt} (stored in the OS keychain; not shown`);
    // No key, no piece of it and no mask characters reached the terminal.
    expect(screen).not.toContain(key.slice(0, 6));
    expect(screen).not.toContain(key.slice(-6));
    expect(screen).not.toContain('Z');
    expect(screen).not.toContain('****');
    // No keychain here: a clear error, and the terminal is given back (the shell would see it).
    expect(session.code).toBe(1);
    expect(screen).toMatch(/Secret Service/);
  });

  it('does not echo a pasted key, and Ctrl+C cancels with nothing added', async () => {
    const key = `sk-pasted-${randomBytes(16).toString('hex')}`;
    const home = createTempDir('sc-int-key-prompt-');
    const pasted = await runBinOnPty(
      ['providers', 'add', '--id', 'gpt', '--type', 'openai', '--model', 'm1'],
      { SERVICE_CREATOR_HOME: home, OPENAI_API_KEY: '', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
      [{ waitFor: prompt, type: [`\u001b[200~${key}\u001b[201~`, '\r'] }],
    );
    expect(pasted.screen.toString('utf8')).toContain(prompt);
    expect(pasted.screen.toString('utf8')).not.toContain(key.slice(0, 8));
    expect(pasted.screen.toString('utf8')).not.toContain(key.slice(-8));

    const cancelled = await runBinOnPty(
      ['providers', 'add', '--id', 'gpt', '--type', 'openai', '--model', 'm1'],
      { SERVICE_CREATOR_HOME: home, OPENAI_API_KEY: '' },
      [{ waitFor: prompt, type: [key.slice(0, 10), '\u0003'] }],
    );
    const screen = cancelled.screen.toString('utf8');
    expect(cancelled.code).toBe(1);
    expect(screen).toContain('Cancelled');
    expect(screen).not.toContain(key.slice(0, 8));
  });
});
