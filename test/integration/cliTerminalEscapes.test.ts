// Untrusted text on a real terminal: the CLI runs on a pseudo-terminal (test/support/runInPty.ts)
// and every byte the terminal received is checked for control sequences that came from a
// model's plan, a project name or a file path. Our own progress bar may use escapes, so the
// checks look for the attack's own bytes (the title, the clear-screen, 8-bit CSI, overrides).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import { runBin } from '../support/cliProcess.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../support/pipelineProject.ts';
import { pipelineResponder } from '../support/pipelineResponder.ts';
import { runCliInPty } from '../support/runInPty.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const attack = '\u001b[2J\u001b]0;TITLE\u0007';
let server: FakeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => removeTempDirs());

async function withCore<T>(home: string, use: (call: <R>(channel: Parameters<Core['dispatch']>[0], input: unknown) => Promise<R>) => Promise<T>): Promise<T> {
  const core = createCore({ dataDir: home, host: 'cli', env: { FAKE_KEY: 'k' } });
  try {
    return await use(async <R>(channel: Parameters<Core['dispatch']>[0], input: unknown): Promise<R> => {
      const result = await core.dispatch(channel, input as never);
      if (!result.ok) throw new Error(result.error.message);
      return result.value as R;
    });
  } finally {
    await core.dispose();
  }
}

/** No byte of an escape sequence from untrusted text reached the terminal; the text is still shown, escaped. */
function expectNeutralised(text: string): void {
  expect(text).not.toContain('\u001b[2J');
  expect(text).not.toContain('\u001b]0;');
  expect(text).not.toContain('TITLE\u0007');
  expect(text).not.toContain('\u009b');
  expect(text).not.toContain('\u202e');
}

describe('untrusted text on a terminal', () => {
  it('plan: escape sequences in a model’s plan (purpose, dependency, test command) are shown escaped, never acted on', async () => {
    const home = createTempDir('sc-int-escapes-');
    const [first, ...rest] = firewallPlan.files;
    if (!first) throw new Error('the firewall plan has files');
    const plan = { ...firewallPlan, files: [{ ...first, purpose: `Rules engine ${attack}` }, ...rest], test: `python3 -m pytest -q #${attack}` };
    server = await startFakeOpenAiServer({ respond: pipelineResponder({ plan, files: firewallFiles }).respond, models: ['scripted'] });
    await withCore(home, async (call) => {
      await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server?.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
      const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
      await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall' } });
    });
    const { code, bytes } = await runCliInPty(['plan', '--project', 'Edge firewall'], { SERVICE_CREATOR_HOME: home, FAKE_KEY: 'k' });
    const text = bytes.toString('utf8');
    expect(code, text).toBe(0);
    expectNeutralised(text);
    expect(text).toContain('Rules engine \\u001b[2J\\u001b]0;TITLE\\u0007');
    expect(text).toContain('Test: python3 -m pytest -q #\\u001b[2J');
  });

  it('projects list and the error naming a missing file: 8-bit CSI and direction overrides in names and paths are shown escaped', async () => {
    const home = createTempDir('sc-int-escapes-');
    const name = 'Billing\u009b2J \u202eexe.txt';
    await withCore(home, (call) => call('projects.create', { name }));
    const env = { SERVICE_CREATOR_HOME: home };
    const listed = await runCliInPty(['projects', 'list'], env);
    const text = listed.bytes.toString('utf8');
    expect(listed.code, text).toBe(0);
    expectNeutralised(text);
    expect(text).toContain('Billing\\u009b2J \\u202eexe.txt');

    const missing = join(home, `spec${attack}.json`);
    const failed = await runCliInPty(['spec', 'import', missing, '--project', name], env);
    const failedText = failed.bytes.toString('utf8');
    expect(failed.code, failedText).toBe(1);
    expectNeutralised(failedText);
    expect(failedText).toContain('spec\\u001b[2J');
  });

  it('projects delete: the progress bar, which draws on the raw terminal, shows the names it counts escaped', async () => {
    const home = createTempDir('sc-int-escapes-');
    const names = ['Billing\u009b2J \u202eexe.txt', 'Payroll\u2066 \u202eflow'];
    await withCore(home, async (call) => {
      for (const name of names) await call('projects.create', { name });
    });
    const deleted = await runCliInPty(['projects', 'delete', ...names, '--yes'], { SERVICE_CREATOR_HOME: home });
    const text = deleted.bytes.toString('utf8');
    expect(deleted.code, text).toBe(0);
    expectNeutralised(text);
    expect(text).not.toContain('\u2066');
    expect(text).toContain('Deleted 2 projects');
  });

  it("what the app's modules print with console (a type check that could not run, a listener's failure) is escaped too", async () => {
    const home = createTempDir('sc-int-escapes-');
    // Loaded before the CLI: once the command is done, it prints as such a module would, quoting untrusted text.
    const preload = join(home, 'warns.mjs');
    writeFileSync(preload, `process.once('beforeExit', () => { console.warn(${JSON.stringify(`[project check] crashed: ${attack} \u009b31m`)}); console.error(new Error(${JSON.stringify(`listener ${attack}`)}).message); });\n`);
    const result = await runCliInPty(['projects', 'list'], { SERVICE_CREATOR_HOME: home, NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` });
    const text = result.bytes.toString('utf8');
    expect(result.code, text).toBe(0);
    expect(text).toContain('[project check] crashed: \\u001b[2J');
    expect(text).toContain('listener \\u001b[2J');
    expectNeutralised(text);
  });

  it('--json stays JSON and keeps the exact values', async () => {
    const home = createTempDir('sc-int-escapes-');
    const name = 'Billing\u009b2J \u202eexe';
    await withCore(home, (call) => call('projects.create', { name }));
    const result = await runBin(['projects', 'list', '--json'], { SERVICE_CREATOR_HOME: home });
    expect(result.code).toBe(0);
    expectNeutralised(result.stdout);
    const listed = JSON.parse(result.stdout.trim().split('\n')[0] ?? '') as { type: string; project: { name: string } };
    expect(listed).toMatchObject({ type: 'project', project: { name } });
  });
});
