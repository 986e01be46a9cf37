// Ctrl+C during `generate` as a person sees it: the real CLI in a real terminal emulator (tmux),
// against a loopback OpenAI-compatible server answering every pipeline prompt from a script. The
// check is on the rendered screen: the pause line stands on its own line (the progress bar was
// cleared, not overwritten), it is not an "Error:", the exit code is the pause's (130), and the
// resume hint repeats the user's own flags, --out included, quoted so that a shell runs it as is.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import { binPath } from '../support/cliProcess.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../support/pipelineProject.ts';
import { pipelineResponder } from '../support/pipelineResponder.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';
import { TmuxTerminal } from '../support/tmuxTerminal.ts';

const projectName = 'Edge firewall';
let server: FakeServer | undefined;
let terminal: TmuxTerminal | undefined;

afterEach(async () => {
  await terminal?.close();
  terminal = undefined;
  await server?.close();
  server = undefined;
});

afterAll(() => removeTempDirs());

async function setup(home: string): Promise<void> {
  const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles, delayMs: 300 });
  server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
  const core = createCore({ dataDir: home, host: 'cli', env: { FAKE_KEY: 'k' } });
  try {
    const call = async <T>(channel: Parameters<Core['dispatch']>[0], input: unknown): Promise<T> => {
      const result = await core.dispatch(channel, input as never);
      if (!result.ok) throw new Error(result.error.message);
      return result.value as T;
    };
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: projectName });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: projectName } });
  } finally {
    await core.dispose();
  }
}

describe('Ctrl+C during generate, on a terminal', () => {
  it('clears the bar, prints the pause on a clean line with the resume command (--out kept), exits 130; that command finishes the run', async () => {
    const home = createTempDir('sc-int-pause-screen-');
    // A space in the folder: the hint must quote it for a shell.
    const out = join(createTempDir('sc-int-pause-out-'), 'edge export');
    await setup(home);
    const env = { SERVICE_CREATOR_HOME: home, FAKE_KEY: 'k' };
    terminal = await TmuxTerminal.start(['generate', '--project', projectName, '--out', out, '--concurrency', '1'], env);

    // The bar is drawn and at least two files are done: the run is well under way.
    await terminal.waitForScreen((screen) => /Generating \[.*\] [2-7]\/9 files/.test(screen), 'the bar at 2 of 9 files or more');
    await terminal.press('C-c');
    const code = await terminal.exited();
    const screen = await terminal.screen();
    const lines = screen.split('\n');

    expect(code, screen).toBe(130);
    expect(screen).not.toContain('Error:');
    // The bar's line was cleared before anything else was printed: none of it is left anywhere.
    expect(screen).not.toContain('Generating [');
    expect(screen).not.toContain('^C');
    expect(lines).toContain('Pausing: the files being written are finished first (Ctrl+C again stops at once; they start over when you go on)');
    const paused = lines.filter((line) => line.startsWith('Paused: '));
    expect(paused, screen).toHaveLength(1);
    const match = /^Paused: (\d) of 9 files done\. Resume with: (.+)$/.exec(paused[0] ?? '');
    expect(match, screen).not.toBeNull();
    const resume = match?.[2] ?? '';
    expect(resume).toBe(`service-creator generate --project "${projectName}" --out "${out}" --concurrency 1`);
    expect(Number(match?.[1])).toBeGreaterThanOrEqual(2);
    expect(existsSync(out)).toBe(false);

    // The hint, pasted into bash as it is (service-creator being this CLI), finishes and exports.
    const shell = `service-creator() { "${process.execPath}" "${binPath}" "$@"; }\n${resume}`;
    const resumed = await promisify(execFile)('bash', ['-c', shell], { env: { ...process.env, ...env }, timeout: 60_000 });
    expect(resumed.stdout).toContain(`Generated "${projectName}": 9 files`);
    expect(readdirSync(out)).toContain('requirements.txt');
  }, 120_000);
});
