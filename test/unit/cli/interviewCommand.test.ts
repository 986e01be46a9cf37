import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src-main/cli/runCli.ts';
import { createCore } from '../../../src-main/core/createCore.ts';
import { createBufferIo } from '../../support/bufferIo.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { vFirewallInterview } from '../../support/interviewScript.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/** What the subprocess tests cannot see: a terminal, where a status line shows the explanation as it is written. */
describe('interview command on a terminal', () => {
  const tempDir = useTempDirs();
  const servers: FakeServer[] = [];

  afterEach(async () => {
    vi.unstubAllEnvs();
    for (const server of servers.splice(0)) await server.close();
  });

  it('prints header, question, explanation in that order; while the model writes, one status line on stderr shows its latest words and is cleared', async () => {
    const home = tempDir('sc-cli-interview-');
    vi.stubEnv('FAKE_KEY', 'k');
    const explanation = 'The service type decides which vendor APIs and features make sense, so it comes first.';
    const first = vFirewallInterview[0]?.turn;
    const server = await startFakeOpenAiServer({ models: ['scripted'], script: [{ reply: { json: { ...first, explanation } }, chunks: 12, chunkDelayMs: 15 }] });
    servers.push(server);
    const core = createCore({ dataDir: home, host: 'cli', env: { FAKE_KEY: 'k' } });
    await core.dispatch('providers.add', {
      config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' },
    });
    await core.dispatch('projects.create', { name: 'Streamed' });
    await core.dispose();

    const buffers = createBufferIo({ env: { SERVICE_CREATOR_HOME: home }, stdinText: ':q\n' });
    (buffers.io.stdout as { isTTY?: boolean }).isTTY = true;
    (buffers.io.stderr as { isTTY?: boolean }).isTTY = true;
    const code = await runCli(['interview', '--project', 'Streamed'], buffers.io);
    expect(code, buffers.stderr()).toBe(0);

    const stdout = buffers.stdout();
    expect(stdout.split(explanation)).toHaveLength(2);
    expect(stdout).toContain(`\nStep 1 of 9 · Service type\nWhat kind of service do you need?\n${explanation}\n  1. vFirewall`);
    expect(stdout.trimEnd().endsWith('Saved at step 1 of 9; run the same command to go on.')).toBe(true);
    // The status line was redrawn as the explanation arrived, then cleared before the question.
    const status = buffers.stderr().split('\r\u001b[2K');
    expect(status.filter((line) => line.startsWith('Writing the next question… ') && line.length > 'Writing the next question… '.length).length).toBeGreaterThan(1);
    expect(status.some((line) => line.includes('so it comes first.'))).toBe(true);
    expect(buffers.stderr().endsWith('\r\u001b[2K')).toBe(true);
  });
});
