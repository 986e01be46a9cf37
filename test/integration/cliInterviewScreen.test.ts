// `interview` as a person sees it in a real terminal emulator (tmux): while the model writes the
// question, one status line shows the explanation's latest words; once the question is whole it
// reads top to bottom as header, question, explanation, options, and the status line is gone.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/createCore.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallInterview } from '../support/interviewScript.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';
import { TmuxTerminal } from '../support/tmuxTerminal.ts';

let server: FakeServer | undefined;
let terminal: TmuxTerminal | undefined;

afterEach(async () => {
  await terminal?.close();
  terminal = undefined;
  await server?.close();
  server = undefined;
});

afterAll(() => removeTempDirs());

describe('interview on a terminal', () => {
  it('shows header, question, explanation in that order, with the status line cleared', async () => {
    const home = createTempDir('sc-int-interview-screen-');
    const explanation = 'The service type decides which vendor APIs and features make sense, so it comes first.';
    const first = vFirewallInterview[0]?.turn;
    // Streamed slowly, so the status line is on screen for a while.
    server = await startFakeOpenAiServer({ models: ['scripted'], script: [{ reply: { json: { ...first, explanation } }, chunks: 30, chunkDelayMs: 60 }] });
    const core = createCore({ dataDir: home, host: 'cli', env: { FAKE_KEY: 'k' } });
    try {
      await core.dispatch('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
      await core.dispatch('projects.create', { name: 'Screen' });
    } finally {
      await core.dispose();
    }
    terminal = await TmuxTerminal.start(['interview', '--project', 'Screen'], { SERVICE_CREATOR_HOME: home, FAKE_KEY: 'k' });

    await terminal.waitForScreen((screen) => screen.includes('Writing the next question…'), 'the status line while the model writes');
    const asked = await terminal.waitForScreen((screen) => screen.includes('(:q saves and quits)'), 'the whole question');
    const lines = asked.split('\n');
    const at = (text: string) => lines.findIndex((line) => line === text);
    const header = at('Step 1 of 9 · Service type');
    expect(header, asked).toBeGreaterThanOrEqual(0);
    expect(at('What kind of service do you need?'), asked).toBe(header + 1);
    expect(at(explanation), asked).toBe(header + 2);
    expect(lines[header + 3], asked).toMatch(/^ {2}1\. vFirewall/);
    // The explanation is shown once, and the status line left nothing behind.
    expect(asked.split(explanation)).toHaveLength(2);
    expect(asked).not.toContain('Writing the next question');

    await terminal.press(':q', 'Enter');
    expect(await terminal.exited()).toBe(0);
    expect(await terminal.screen()).toContain('Saved at step 1 of 9; run the same command to go on.');
  }, 60_000);
});
