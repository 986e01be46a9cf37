import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/runCli.ts';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import type { RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { createBufferIo, type BufferIoOptions } from '../../support/bufferIo.ts';
import { startFakeOpenAiServer, type FakeServer } from '../../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../../support/pipelineProject.ts';
import { pipelineResponder, type PipelineResponder, type PipelineScript } from '../../support/pipelineResponder.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

/**
 * The plan, generate and export commands in-process (the subprocess tests, kill -9 included, are
 * in test/integration/cliGenerate.test.ts): what they refuse and say, and Ctrl+C through the
 * injected `waitForStop`.
 */
describe('plan, generate and export commands', () => {
  const tempDir = useTempDirs();
  const projectName = 'Edge firewall';
  const spec = { ...vFirewallSpec, name: projectName };
  const servers: FakeServer[] = [];
  let home = '';

  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  async function setup(options: { script?: Partial<PipelineScript>; project?: boolean } = {}): Promise<PipelineResponder> {
    home = tempDir('sc-cli-generate-');
    const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles, ...options.script });
    const server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
    servers.push(server);
    const core = createCore({ dataDir: home, host: 'cli', env: { FAKE_KEY: 'k' } });
    try {
      const call = async <T>(channel: Parameters<Core['dispatch']>[0], input: unknown): Promise<T> => {
        const result = await core.dispatch(channel, input as never);
        if (!result.ok) throw new Error(result.error.message);
        return result.value as T;
      };
      await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
      if (options.project !== false) {
        const project = await call<{ id: string }>('projects.create', { name: projectName });
        await call('spec.set', { projectId: project.id, spec });
      }
    } finally {
      await core.dispose();
    }
    return responder;
  }

  const never = () => new Promise<void>(() => undefined);

  async function cli(args: string[], options: BufferIoOptions = {}) {
    const buffers = createBufferIo({ env: { SERVICE_CREATOR_HOME: home, FAKE_KEY: 'k' }, waitForStop: never, ...options });
    const code = await runCli(args, buffers.io);
    return { code, stdout: buffers.stdout(), stderr: buffers.stderr(), lines: () => buffers.jsonLines() };
  }

  function file(name: string, text: string): string {
    const path = join(home, name);
    writeFileSync(path, text);
    return path;
  }

  it('refuses missing or contradicting options before opening anything', async () => {
    home = join(tempDir(), 'never-created');
    expect(await cli(['generate'])).toMatchObject({ code: 1, stderr: 'Error: Name the project to generate (--project P) or a spec file (--spec FILE)\n' });
    expect(await cli(['generate', '--project', 'x', '--zip'])).toMatchObject({ code: 1, stderr: 'Error: --zip, --git and --force are about the export: add --out DIR\n' });
    expect((await cli(['generate', '--project', 'x', '--concurrency', '0'])).stderr).toContain("option '--concurrency <n>' argument '0' is invalid. expected a whole number from 1 to 16");
    expect((await cli(['export', '--project', 'x', '--out', 'y', '--zip', '--git'])).stderr).toContain("option '--git' cannot be used with option '--zip'");
    expect((await cli(['plan', '--project', 'x', '--set', 'p.json', '--concurrency', '2'])).code).toBe(1);
    const missing = await cli(['plan', '--project', 'x', '--set', join(home, 'missing.json')]);
    expect(missing.stderr).toMatch(/^Error: Cannot read the plan file .*missing\.json: ENOENT/);
  });

  it('plan --set names a file that is not JSON, and says so when no run is planned', async () => {
    await setup();
    const notJson = file('broken.json', '{"files": [');
    expect((await cli(['plan', '--project', projectName, '--set', notJson])).stderr).toContain(`Error: ${notJson} is not JSON: `);
    const plan = file('plan.json', JSON.stringify(firewallPlan));
    const none = await cli(['plan', '--project', projectName, '--set', plan, '--json']);
    expect(none.code).toBe(1);
    expect(none.lines()).toEqual([
      { type: 'error', error: { code: 'NOT_FOUND', message: `"${projectName}" has no planned run whose plan could change: make one with "service-creator plan --project "${projectName}""` } },
    ]);
  });

  it('plan --out writes the plan to edit; it refuses to overwrite without --force', async () => {
    const responder = await setup();
    // Outside the data folder: writes into it are refused (issue 12).
    const out = join(tempDir('sc-cli-out-'), 'plan.json');
    const planned = await cli(['plan', '--project', projectName, '--out', out]);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stderr).toContain(`Wrote the plan to ${out}`);
    expect(planned.stderr).toContain(`Next: "service-creator generate --project "${projectName}"" writes the files`);
    const again = await cli(['plan', '--project', projectName, '--out', out]);
    expect(again).toMatchObject({ code: 1, stderr: `Error: ${out} exists already: add --force to overwrite it\n` });
    expect(responder.count('plan')).toBe(1);
    const set = await cli(['plan', '--project', projectName, '--set', out, '--json']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.lines()[0]).toMatchObject({ type: 'plan', run: { status: 'planned', plan: firewallPlan } });
  });

  it('export says when there is no finished run, or no run with the given id', async () => {
    await setup();
    const out = join(home, 'out');
    expect((await cli(['export', '--project', projectName, '--out', out])).stderr).toBe(
      `Error: "${projectName}" has no finished run to export: generate one with "service-creator generate --project "${projectName}""\n`,
    );
    expect((await cli(['export', '--project', projectName, '--out', out, '--run', 'nope'])).stderr).toBe(`Error: "${projectName}" has no run nope\n`);
  });

  it('generate --spec names the file it could not use, and refuses a project of that name with another spec', async () => {
    await setup();
    expect((await cli(['generate', '--spec', file('bad.json', '{')])).stderr).toMatch(/^Error: .*bad\.json is not JSON: /);
    expect((await cli(['generate', '--spec', file('newer.json', JSON.stringify({ specVersion: 99 }))])).stderr).toMatch(/^Error: .*newer\.json: This spec was written by a newer Service Creator/);
    const other = file('other.json', JSON.stringify({ ...spec, features: ['NAT policies'] }));
    expect((await cli(['generate', '--spec', other])).stderr).toBe(
      `Error: A project named "${projectName}" exists already with another spec: add --project "${projectName}" to replace its spec with ${other}, or change the spec's name\n`,
    );
  });

  it('generate --spec without a name in the spec names the project after the file; an incomplete one stops there', async () => {
    await setup({ project: false });
    const unnamed = file('branch-office.service-spec.json', JSON.stringify({ specVersion: 2, serviceType: 'vFirewall' }));
    const run = await cli(['generate', '--spec', unnamed]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Created the project "branch-office" for ${unnamed}`);
    expect(run.stderr).toContain('Error: The spec of "branch-office" is not complete, so there is nothing to generate');
  });

  it('Ctrl+C pauses after the file being written; a second one stops at once; both can go on', async () => {
    const responder = await setup({ script: { delayMs: 150 } });
    // One Ctrl+C, while the second file is being written.
    let press: () => void = () => undefined;
    const pressed = new Promise<void>((resolve) => (press = resolve));
    let calls = 0;
    let started = 0;
    const first = await cli(['generate', '--project', projectName, '--concurrency', '1', '--json'], {
      waitForStop: () => (calls++ === 0 ? pressed : never()),
      onStdout: (text) => {
        if (text.includes('"type":"file-started"') && (started += 1) === 2) press();
      },
    });
    // A pause is not an error: its own exit code, a "paused" line with the command that goes on.
    expect(first.code, first.stdout).toBe(130);
    const paused = first.lines().at(-2) as { run: RunView };
    expect(paused.run.status).toBe('paused');
    expect(paused.run.files.filter((entry) => entry.status === 'done').map((entry) => entry.path)).toEqual(['requirements.txt', 'app/__init__.py']);
    expect(first.stderr).toBe('');
    const resume = `service-creator generate --project "${projectName}" --concurrency 1 --json`;
    expect(first.lines().at(-1)).toEqual({ type: 'paused', message: `Paused: 2 of 9 files done. Resume with: ${resume}`, resume });

    // Now two Ctrl+C: the first once the model has been asked for the third file (answered after
    // 150 ms), the second 10 ms later, so it comes while that file is being written. Keyed on the
    // request, not on time, so a layer check before it cannot make the run pause first.
    let presses = 0;
    const asked = async () => {
      while (responder.count('generate:app/models.py') === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const second = await cli(['generate', '--project', projectName, '--concurrency', '1'], {
      waitForStop: () => (presses++ === 0 ? asked() : new Promise<void>((resolve) => setTimeout(resolve, 10))),
    });
    expect(second.code).toBe(130);
    expect(second.stderr).toContain('Resuming run');
    expect(second.stderr).toContain('Pausing: the files being written are finished first');
    expect(second.stderr).toContain('Stopping now');
    expect(second.stderr).not.toContain('Error:');
    expect(second.stderr).toMatch(/\nStopped: \d of 9 files done \(the files that were being written start over\)\. Resume with: service-creator generate --project "Edge firewall" --concurrency 1\n$/);

    const third = await cli(['generate', '--project', projectName, '--json']);
    expect(third.code, third.stdout).toBe(0);
    expect(third.lines()[0]).toMatchObject({ type: 'plan', resumed: true, run: { status: 'cancelled' } });
    expect(third.lines().at(-1)).toMatchObject({ type: 'result', run: { status: 'done' } });
    expect(responder.count('plan')).toBe(1);
    for (const entry of firewallPlan.files) expect(responder.count(`generate:${entry.path}`), entry.path).toBeLessThanOrEqual(2);
  });

  it('a failed run prints one line per file for people, then the error', async () => {
    const prose = 'The rule model holds a name, a source and a destination for every entry.\nEach rule is stored in memory and checked by the API before it is saved.\n';
    await setup({ script: { files: { ...firewallFiles, 'app/models.py': prose } } });
    const run = await cli(['generate', '--project', projectName]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^\[\d\/9\] app\/models\.py failed: .*prose/m);
    expect(run.stderr).toMatch(/^\[\d\/9\] app\/store\.py blocked$/m);
    expect(run.stderr).toMatch(/^\[1\/9\] requirements\.txt$/m);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(/^Error: Run \S+ failed \(\d of 9 files done\): Some files could not be written/);
  });

  it('shows a progress bar on a terminal and prints where the export went', async () => {
    await setup();
    const out = join(tempDir('sc-cli-out-'), 'edge');
    const run = await cli(['generate', '--project', projectName, '--out', out, '--git'], { stderrIsTTY: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Generating \[[\u2591\u2588]+\] \d\/9 files/);
    expect(run.stderr).not.toMatch(/^\[\d\/9\]/m);
    expect(run.stdout).toMatch(new RegExp(`^Generated "Edge firewall": 9 files \\(run \\S+\\)\\nExported to ${out.replace(/[/.]/g, '\\$&')} \\(10 files, [\\d.]+ kB; git commit [0-9a-f]{7}\\)\\n$`));
  });

  it('generate --spec with the spec a project of that name has uses it; a finished latest run is planned anew; people get a line per file', async () => {
    const responder = await setup();
    const same = file('edge.service-spec.json', JSON.stringify(spec));
    const first = await cli(['generate', '--spec', same]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`Using the project "${projectName}", which has this spec already`);
    expect(first.stderr).toMatch(/^Planned run \S+: 7 files\n {2}requirements\.txt/m);
    const fileLines = first.stderr.match(/^\[\d\/9\] .+$/gm) ?? [];
    expect(fileLines.map((line) => line.slice(0, 5))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((done) => `[${done}/9]`));
    expect(fileLines.map((line) => line.slice(6)).sort()).toEqual([...firewallPlan.files.map((entry) => entry.path), 'README.md', 'API.md'].sort());
    expect(first.stderr).toContain('Cross-file check, round 1: no findings');
    expect(first.stdout).toMatch(/^Generated "Edge firewall": 9 files \(run \S+\)\n$/);
    const again = await cli(['generate', '--project', projectName, '--json']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.lines()[0]).toMatchObject({ type: 'plan', resumed: false, run: { status: 'planned' } });
    expect(responder.count('plan')).toBe(2);
  });

  it('generate on an incomplete spec prints the check and the error as JSON lines', async () => {
    await setup({ project: false });
    await cli(['projects', 'create', projectName]);
    const run = await cli(['generate', '--project', projectName, '--json']);
    expect(run.code).toBe(1);
    const lines = run.lines();
    expect(lines.map((line) => line.type)).toEqual(['check', 'error']);
    expect(lines[0]).toMatchObject({ valid: false, problems: expect.arrayContaining([{ path: 'serviceType', message: 'not answered yet' }]) });
    expect(lines[1]).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('serviceType: not answered yet') } });
  });
});
