// `service-creator test` and `repair` through the real CLI process where no Docker engine is
// needed: what they refuse and say before a container would start (Docker missing, a folder
// without a test command, a link out of the folder). The runs in the real sandbox are in
// test/docker/cliTestRepair.test.ts.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/createCore.ts';
import type { RunView } from '../../src-shared/pipeline/pipelineTypes.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, type ProcessResult } from '../support/cliProcess.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../support/pipelineProject.ts';
import { pipelineResponder } from '../support/pipelineResponder.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const projectName = 'Edge firewall';
const noDocker = 'unix:///nonexistent.sock';
let home: string;

/** A data folder holding "Edge firewall" with one finished run (generated in-process from a script), and "Empty" without runs. */
beforeAll(async () => {
  home = createTempDir('sc-int-test-');
  const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles });
  const server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
  const core = createCore({ dataDir: home, host: 'cli', env: { FAKE_KEY: 'k', DOCKER_HOST: noDocker } });
  try {
    const call = coreCaller(core);
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: projectName });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: projectName } });
    await call('projects.create', { name: 'Empty' });
    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });
    await call('pipeline.start', { runId: planned.id });
    expect(await call<RunView>('pipeline.wait', { runId: planned.id })).toMatchObject({ status: 'done' });
  } finally {
    await core.dispose();
    await server.close();
  }
});

afterAll(() => {
  removeTempDirs();
});

function sc(...args: string[]): Promise<ProcessResult> {
  return runBin(args, { SERVICE_CREATOR_HOME: home, DOCKER_HOST: noDocker });
}

function expectUserError(result: ProcessResult): string {
  expect(result.code, result.stdout + result.stderr).toBe(1);
  expect(result.stderr).toMatch(/^Error: /m);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  return result.stderr;
}

/** A small pytest project folder. */
function projectDir(files: Record<string, string> = { 'calc.py': 'def add(a, b):\n    return a + b\n', 'tests/test_calc.py': 'from calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n' }): string {
  const dir = createTempDir('sc-int-test-dir-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('test --project / repair --project without Docker', () => {
  it('test exits 1 saying Docker is not running, naming where it looked (text and --json)', async () => {
    const stderr = expectUserError(await sc('test', '--project', projectName));
    expect(stderr).toContain('Docker is not running: start Docker Desktop or dockerd');
    expect(stderr).toContain(noDocker);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error: /)]); // one line: nothing was started

    const json = await sc('test', '--project', projectName, '--json');
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    expect(parseJsonLines(json.stdout)).toEqual([{ type: 'error', error: { code: 'SANDBOX_UNAVAILABLE', message: expect.stringContaining('Docker is not running: start Docker Desktop or dockerd') } }]);
  });

  it('repair exits 1 the same way, before asking the model anything', async () => {
    const stderr = expectUserError(await sc('repair', '--project', projectName, '--rounds', '2'));
    expect(stderr).toContain('Docker is not running: start Docker Desktop or dockerd');
  });

  it('a project without a finished run, an unknown run, and bad options are refused with what to do', async () => {
    expect(expectUserError(await sc('test', '--project', 'Empty'))).toContain('"Empty" has no finished run to be tested: generate one with "service-creator generate --project "Empty""');
    expect(expectUserError(await sc('repair', '--project', projectName, '--run', 'nope'))).toMatch(/"Edge firewall" has no run nope; its runs: \S+ \(done\)/);
    expect(expectUserError(await sc('test'))).toContain('Name what to test: a project folder (service-creator test DIR) or a project (--project P)');
    expect(expectUserError(await sc('test', projectDir(), '--project', projectName))).toContain('not both');
    expect(expectUserError(await sc('test', '--project', projectName, '--command', 'pytest'))).toContain('--command, --install and --language are for a folder (DIR)');
    expect((await sc('test', '--project', projectName, '--timeout', '0')).stderr).toContain('expected a whole number from 1 to 3600, got "0"');
    expect((await sc('repair', '--project', projectName, '--rounds', '11')).stderr).toContain('expected a whole number from 1 to 10, got "11"');
  });
});

describe('test DIR without Docker', () => {
  it('a folder without provenance and without --command exits 1 naming both', async () => {
    const dir = projectDir();
    const stderr = expectUserError(await sc('test', dir));
    expect(stderr).toContain(`${dir} has no .service-creator/provenance.json`);
    expect(stderr).toContain('--command "pytest -q"');
  });

  it('a provenance file without a test command, or not JSON, is named', async () => {
    const empty = projectDir({ 'calc.py': 'x = 1\n', '.service-creator/provenance.json': JSON.stringify({ format: 1, plan: { test: '' } }) });
    expect(expectUserError(await sc('test', empty))).toContain(`${join(empty, '.service-creator/provenance.json')} names no test command (plan.test)`);
    const broken = projectDir({ 'calc.py': 'x = 1\n', '.service-creator/provenance.json': '{ nope' });
    expect(expectUserError(await sc('test', broken))).toContain(`${join(broken, '.service-creator/provenance.json')} is not valid JSON`);
  });

  it('a symbolic link that leads out of the folder is refused, naming it and its target', async () => {
    const dir = projectDir();
    const outside = createTempDir('sc-int-outside-');
    writeFileSync(join(outside, 'secret.txt'), 'not for the sandbox');
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'tests', 'data.txt'));
    const stderr = expectUserError(await sc('test', dir, '--command', 'pytest -q'));
    expect(stderr).toContain(`"tests/data.txt" in ${dir} is a symbolic link to ${join(outside, 'secret.txt')}, outside the folder`);
  });

  it('a folder that is fine exits 1 saying Docker is not running', async () => {
    const stderr = expectUserError(await sc('test', projectDir(), '--command', 'pytest -q'));
    expect(stderr).toContain('Docker is not running: start Docker Desktop or dockerd');
  });

  it('a missing folder is named', async () => {
    const missing = join(home, 'no-such-folder');
    expect(expectUserError(await sc('test', missing))).toContain(`There is no folder ${missing}`);
  });
});
