// The generation commands (plan, generate, export) through the real CLI process
// (bin/service-creator.js) against a loopback OpenAI-compatible server that answers every
// pipeline prompt from a script (test/support/pipelineResponder.ts), with the real validators.
// The provider and projects are set up in-process on the same data folder.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore, databaseFileName, type Core } from '../../src-main/core/createCore.ts';
import type { Plan } from '../../src-shared/pipeline/plan.ts';
import type { RunView } from '../../src-shared/pipeline/pipelineTypes.ts';
import { parseJsonLines } from '../support/bufferIo.ts';
import { runBin, startBin, type ProcessResult } from '../support/cliProcess.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../support/interviewScript.ts';
import { firewallFiles, firewallPlan } from '../support/pipelineProject.ts';
import { pipelineResponder, type PipelineResponder, type PipelineScript } from '../support/pipelineResponder.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';

const projectName = 'Edge firewall';
const spec = { ...vFirewallSpec, name: projectName };
const docs = ['README.md', 'API.md'];
const allPaths = [...firewallPlan.files.map((file) => file.path), ...docs];

let home: string;
/** Where exports go: never inside the data folder, which the app refuses to write into. */
let outRoot: string;
let env: NodeJS.ProcessEnv;
let server: FakeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(() => {
  removeTempDirs();
});

/**
 * A fresh data folder with the provider pointing at a scripted server; with `project`, the
 * project exists too, with the given spec (the complete firewall spec by default).
 */
async function setup(options: { script?: Partial<PipelineScript>; project?: boolean; spec?: unknown } = {}): Promise<PipelineResponder> {
  home = createTempDir('sc-int-generate-');
  outRoot = createTempDir('sc-int-out-');
  env = { SERVICE_CREATOR_HOME: home, FAKE_KEY: 'k' };
  const responder = pipelineResponder({ plan: firewallPlan, files: firewallFiles, ...options.script });
  server = await startFakeOpenAiServer({ respond: responder.respond, models: ['scripted'] });
  const core = createCore({ dataDir: home, host: 'cli', env: { FAKE_KEY: 'k' } });
  try {
    const call = async <T>(channel: Parameters<Core['dispatch']>[0], input: unknown): Promise<T> => {
      const result = await core.dispatch(channel, input as never);
      if (!result.ok) throw new Error(result.error.message);
      return result.value as T;
    };
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    if (options.project) {
      const project = await call<{ id: string }>('projects.create', { name: projectName });
      if (options.spec !== null) await call('spec.set', { projectId: project.id, spec: options.spec ?? spec });
    }
  } finally {
    await core.dispose();
  }
  return responder;
}

function sc(...args: string[]): Promise<ProcessResult> {
  return runBin(args, env);
}

function writeJson(name: string, value: unknown): string {
  const file = join(home, name);
  writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function expectUserError(result: ProcessResult): string {
  expect(result.code, result.stdout + result.stderr).toBe(1);
  expect(result.stderr).toMatch(/^Error: /m);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  return result.stderr;
}

function expectGeneratedFiles(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(firewallFiles)) expect(files[path], path).toBe(content);
  for (const path of docs) expect(files[path], path).toMatch(/^# /);
}

interface Provenance {
  runId: string;
  files: { path: string; providerId: string; model: string; attempts: number }[];
}

/** Requests per file path at the server: first drafts and fixes alike. */
function fileRequests(responder: PipelineResponder, path: string): number {
  return responder.count(`generate:${path}`) + responder.count(`fix:${path}`);
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function linesOfType(stdout: string, type: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return {}; // the last line may still be arriving
      }
    })
    .filter((line) => line.type === type);
}

function openDatabase(): Database.Database {
  return new Database(join(home, databaseFileName), { readonly: true, fileMustExist: true });
}

describe('generate', () => {
  it('--spec FILE --out DIR --json creates the project, plans, writes every file and exports it with provenance', async () => {
    const responder = await setup();
    const specFile = writeJson('edge.service-spec.json', spec);
    const out = join(outRoot, 'edge-firewall');
    const run = await sc('generate', '--spec', specFile, '--out', out, '--json');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toBe('');

    const lines = parseJsonLines(run.stdout);
    const types = lines.map((line) => line.type);
    expect(types[0]).toBe('plan');
    expect(types.at(-1)).toBe('result');
    expect(new Set(types)).toEqual(new Set(['plan', 'file-started', 'validation', 'file-done', 'consistency', 'result']));
    expect(types.filter((type) => type === 'plan' || type === 'result')).toEqual(['plan', 'result']);
    const plan = lines[0] as { resumed: boolean; run: RunView };
    expect(plan.resumed).toBe(false);
    expect(plan.run).toMatchObject({ status: 'planned', plan: firewallPlan, progress: { done: 0, total: 9 } });
    const done = lines.filter((line) => line.type === 'file-done');
    expect(done.map((line) => line.path).sort()).toEqual([...allPaths].sort());
    expect(done.every((line) => line.status === 'done' && line.runId === plan.run.id)).toBe(true);
    expect(done.map((line) => line.done)).toEqual(allPaths.map((_, index) => index + 1));
    // A file starts before it is done, and the docs come after the cross-file check.
    for (const path of allPaths) {
      expect(lines.findIndex((line) => line.type === 'file-started' && line.path === path)).toBeLessThan(lines.findIndex((line) => line.type === 'file-done' && line.path === path));
    }
    expect(lines.findIndex((line) => line.type === 'consistency')).toBeLessThan(lines.findIndex((line) => line.type === 'file-done' && line.path === 'README.md'));
    expect(run.stdout).not.toContain('file-text');

    const result = lines.at(-1) as { run: RunView; export: { path: string; files: number } };
    expect(result.run).toMatchObject({ id: plan.run.id, status: 'done', phase: 'done', progress: { done: 9, total: 9 } });
    expect(result.export).toMatchObject({ path: out, files: 10 });
    const files = tree(out);
    expectGeneratedFiles(files);
    expect(Object.keys(files).sort()).toEqual([...allPaths, '.service-creator/provenance.json'].sort());
    const provenance = JSON.parse(files['.service-creator/provenance.json'] ?? '{}') as Provenance;
    expect(provenance.runId).toBe(plan.run.id);
    expect(provenance.files.find((file) => file.path === 'app/main.py')).toMatchObject({ providerId: 'fake', model: 'scripted', attempts: 1 });
    for (const path of firewallPlan.files.map((file) => file.path)) expect(fileRequests(responder, path), path).toBe(1);
    expect(responder.count('plan')).toBe(1);
  });

  it('resumes a run killed with SIGKILL mid-run: the database is intact and no finished file is asked for again', async () => {
    const responder = await setup({ script: { delayMs: 300 }, project: true });
    const first = startBin(['generate', '--project', projectName, '--concurrency', '1', '--json'], env);
    await until(() => linesOfType(first.stdout(), 'file-done').length >= 3 || first.child.exitCode !== null, 'three file-done lines');
    first.child.kill('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    // Usually exactly three: the kill comes well within the 300 ms the fourth file takes.
    const finished = linesOfType(first.stdout(), 'file-done').map((line) => line.path as string);
    expect(finished.length).toBeGreaterThanOrEqual(3);
    expect(finished.length).toBeLessThan(7);
    const runId = (linesOfType(first.stdout(), 'plan')[0]?.run as RunView).id;

    const db = openDatabase();
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // The killed process had no chance to record anything: the run still says it is working.
      expect(db.prepare('SELECT status FROM pipeline_runs WHERE id = ?').pluck().get(runId)).toBe('generating');
      const stored = db.prepare("SELECT path FROM run_files WHERE run_id = ? AND status = 'done' ORDER BY position").pluck().all(runId);
      expect([...stored].sort()).toEqual([...finished].sort());
    } finally {
      db.close();
    }
    for (const path of finished) expect(fileRequests(responder, path), path).toBe(1);

    const resumed = await sc('generate', '--project', projectName, '--json');
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const lines = parseJsonLines(resumed.stdout);
    expect(lines[0]).toMatchObject({ type: 'plan', resumed: true, run: { id: runId, status: 'paused', progress: { done: finished.length, total: 9 } } });
    expect(lines.at(-1)).toMatchObject({ type: 'result', run: { id: runId, status: 'done', progress: { done: 9, total: 9 } } });
    const writtenNow = lines.filter((line) => line.type === 'file-done').map((line) => line.path);
    expect(writtenNow.sort()).toEqual(allPaths.filter((path) => !finished.includes(path)).sort());

    // Each finished file was asked for exactly once over both processes; the one being written at
    // the kill at most twice; the plan once.
    for (const path of finished) expect(fileRequests(responder, path), path).toBe(1);
    for (const path of firewallPlan.files.map((file) => file.path)) expect(fileRequests(responder, path), path).toBeLessThanOrEqual(2);
    const askedTwice = firewallPlan.files.filter((file) => fileRequests(responder, file.path) === 2);
    expect(askedTwice.length).toBeLessThanOrEqual(1);
    expect(responder.count('plan')).toBe(1);

    const db2 = openDatabase();
    try {
      expect(db2.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db2.prepare('SELECT COUNT(*) FROM pipeline_runs').pluck().get()).toBe(1);
    } finally {
      db2.close();
    }
  });

  it('Ctrl+C pauses: the file being written finishes, the command exits 130 (a pause) saying how to go on, and going on finishes the run', async () => {
    const responder = await setup({ script: { delayMs: 150 }, project: true });
    const first = startBin(['generate', '--project', projectName, '--concurrency', '1', '--json'], env);
    await until(() => linesOfType(first.stdout(), 'file-started').length >= 2 || first.child.exitCode !== null, 'the second file-started line');
    first.child.kill('SIGINT');
    const exited = await first.exited;
    expect(exited.code, first.stdout() + first.stderr()).toBe(130);
    const lines = parseJsonLines(first.stdout());
    const result = lines.at(-2) as { type: string; run: RunView };
    expect(result.type).toBe('result');
    expect(result.run.status).toBe('paused');
    // The first file was done when Ctrl+C came; the second was being written, finished and was kept.
    expect(result.run.files.filter((file) => file.status === 'done').map((file) => file.path)).toEqual(['requirements.txt', 'app/__init__.py']);
    expect(result.run.files.some((file) => file.status === 'generating')).toBe(false);
    expect(first.stderr()).toBe('');
    expect(lines.at(-1)).toMatchObject({ type: 'paused', message: 'Paused: 2 of 9 files done. Resume with: service-creator generate --project "Edge firewall" --concurrency 1 --json' });

    const resumed = await sc('generate', '--project', projectName);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`Resuming run ${result.run.id}: 2 of 9 files done`);
    expect(resumed.stdout).toContain(`Generated "${projectName}": 9 files (run ${result.run.id})`);
    expect(resumed.stderr).toContain(`Export it with "service-creator export --project "${projectName}" --out DIR"`);
    for (const file of firewallPlan.files) expect(fileRequests(responder, file.path), file.path).toBe(1);
  });

  it('refuses an incomplete spec with its problems, before asking the model anything', async () => {
    await setup({ project: true, spec: { specVersion: 2, name: projectName, serviceType: 'vFirewall' } });
    const run = await sc('generate', '--project', projectName);
    const stderr = expectUserError(run);
    expect(stderr).toContain(`The spec of "${projectName}" is not complete, so there is nothing to generate`);
    expect(stderr).toContain('features: not answered yet');
    expect(stderr).toContain('testing: not answered yet');
    expect(stderr).toContain(`service-creator interview --project "${projectName}"`);
    expect(server?.count('/v1/chat/completions')).toBe(0);
  });

  it('a run whose file fails validation exits 1 naming the failed file and the blocked ones', async () => {
    const prose = 'The rule model holds a name, a source and a destination for every entry.\nEach rule is stored in memory and checked by the API before it is saved.\n';
    await setup({ project: true, script: { files: { ...firewallFiles, 'app/models.py': prose } } });
    const run = await sc('generate', '--project', projectName, '--out', join(outRoot, 'never'), '--json');
    expect(run.code).toBe(1);
    const lines = parseJsonLines(run.stdout);
    expect(lines.at(-2)).toMatchObject({ type: 'result', run: { status: 'failed' } });
    const error = lines.at(-1)?.error as { code: string; message: string };
    expect(error.code).toBe('INVALID_OUTPUT');
    expect(error.message).toMatch(/failed \(\d of 9 files done\): Some files could not be written: 1 failed \(app\/models\.py\)/);
    expect(error.message).toContain('app/models.py: failed (Still has');
    expect(error.message).toContain('app/store.py: blocked (Not written: it depends on app/models.py');
    expect(error.message).toContain('Run "service-creator generate --project "Edge firewall"" to try again');
    expect(readdirSync(home)).not.toContain('never');
  });
});

describe('export', () => {
  it('refuses a non-empty folder without --force (also before generating) and replaces it with --force', async () => {
    const responder = await setup({ project: true });
    const out = join(outRoot, 'taken');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'keep me');

    expect(expectUserError(await sc('generate', '--project', projectName, '--out', out))).toContain(`${out} is not empty; pass --force to replace it`);
    expect(server?.count('/v1/chat/completions')).toBe(0);

    const generated = await sc('generate', '--project', projectName, '--json');
    expect(generated.code, generated.stderr).toBe(0);
    const runId = (parseJsonLines(generated.stdout).at(-1)?.run as RunView).id;
    expect(expectUserError(await sc('export', '--project', projectName, '--out', out))).toContain(`${out} is not empty; pass --force to replace it`);
    expect(tree(out)).toEqual({ 'keep.txt': 'keep me' });

    const forced = await sc('export', '--project', projectName, '--out', out, '--force', '--git', '--json');
    expect(forced.code, forced.stderr).toBe(0);
    expect(parseJsonLines(forced.stdout)).toEqual([{ type: 'export', projectId: expect.any(String), runId, path: out, files: 10, bytes: expect.any(Number), commit: expect.stringMatching(/^[0-9a-f]{40}$/) }]);
    const files = tree(out);
    expect(files['keep.txt']).toBeUndefined();
    expectGeneratedFiles(files);
    expect(Object.keys(files).some((path) => path.startsWith('.git/'))).toBe(true);
    expect(JSON.parse(files['.service-creator/provenance.json'] ?? '{}')).toMatchObject({ runId });
    expect(responder.count('plan')).toBe(1);
  });

  it('--zip writes a zip holding the files and the provenance under one top folder', async () => {
    await setup({ project: true });
    const run = await sc('generate', '--project', projectName, '--out', join(outRoot, 'edge'), '--zip', '--json');
    expect(run.code, run.stderr).toBe(0);
    const zipPath = join(outRoot, 'edge.zip');
    expect(parseJsonLines(run.stdout).at(-1)).toMatchObject({ type: 'result', export: { path: zipPath, files: 10 } });
    const entries = unzipSync(readFileSync(zipPath));
    const files = Object.fromEntries(
      Object.entries(entries)
        .filter(([name]) => !name.endsWith('/'))
        .map(([name, data]) => [name, new TextDecoder().decode(data)]),
    );
    expect(Object.keys(files).every((name) => name.startsWith('edge/'))).toBe(true);
    const inside = Object.fromEntries(Object.entries(files).map(([name, text]) => [name.slice('edge/'.length), text]));
    expectGeneratedFiles(inside);
    expect(JSON.parse(inside['.service-creator/provenance.json'] ?? '{}')).toMatchObject({ runId: (parseJsonLines(run.stdout).at(-1)?.run as RunView).id });

    // An existing zip is kept unless --force.
    expect(expectUserError(await sc('export', '--project', projectName, '--out', join(outRoot, 'edge'), '--zip'))).toContain(`${zipPath} exists already; pass --force to replace it`);
  });

  it('issue 12: export --force into the data folder exits 1 saying why, and the projects and database survive', async () => {
    await setup({ project: true });
    const generated = await sc('generate', '--project', projectName, '--json');
    expect(generated.code, generated.stderr).toBe(0);
    const entries = () => readdirSync(home).filter((name) => !/-(wal|shm)$/.test(name)).sort();
    const before = entries();

    // The exact command of the report: SERVICE_CREATOR_HOME=$H service-creator export --project P --out "$H" --force
    const refused = expectUserError(await sc('export', '--project', projectName, '--out', home, '--force'));
    expect(refused).toBe(`Error: Cannot write to ${home}: it is the app's data folder (${home}); it holds your projects, settings and the database. Choose a new folder outside it.\n`);
    // The same with --git, a folder inside it, and a zip over the database.
    expect(expectUserError(await sc('export', '--project', projectName, '--out', home, '--force', '--git'))).toContain("it is the app's data folder");
    expect(expectUserError(await sc('export', '--project', projectName, '--out', join(home, 'edge'), '--force'))).toContain("it is inside the app's data folder");
    expect(expectUserError(await sc('export', '--project', projectName, '--out', join(home, databaseFileName), '--zip', '--force'))).toContain("it is inside the app's data folder");
    // Its siblings: the plan and spec files, and generate's export (checked before any model is asked).
    const asked = server?.count('/v1/chat/completions');
    expect(expectUserError(await sc('plan', '--project', projectName, '--out', join(home, databaseFileName), '--force'))).toContain("it is inside the app's data folder");
    expect(expectUserError(await sc('spec', 'export', '--project', projectName, '--out', join(home, databaseFileName), '--force'))).toContain("it is inside the app's data folder");
    expect(expectUserError(await sc('generate', '--project', projectName, '--new', '--out', home, '--force'))).toContain("it is the app's data folder");
    expect(server?.count('/v1/chat/completions')).toBe(asked);

    expect(entries()).toEqual(before);
    const listed = await sc('projects', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(projectName);
  });
});

describe('plan', () => {
  it('plans and prints the files; --set replaces the plan (refusing ../evil.py by name); generate then starts that run', async () => {
    const responder = await setup({ project: true });
    const planned = await sc('plan', '--project', projectName, '--concurrency', '2');
    expect(planned.code, planned.stderr).toBe(0);
    const text = planned.stdout.split('\n');
    expect(text[0]).toMatch(/^Planned run \S+ of "Edge firewall": 7 files$/);
    expect(text).toContainEqual(expect.stringMatching(/^ {2}app\/store\.py +source +In-memory rule store {2}\(uses app\/models\.py\)$/));
    expect(text).toContain('Test: pytest -q');

    const evil: Plan = { ...firewallPlan, files: [...firewallPlan.files, { path: '../evil.py', purpose: 'escape', language: 'python', kind: 'source', dependsOn: [], exports: [] }] };
    const evilFile = writeJson('evil-plan.json', evil);
    const refused = expectUserError(await sc('plan', '--project', projectName, '--set', evilFile));
    expect(refused).toContain(evilFile);
    expect(refused).toContain('../evil.py');

    const edited: Plan = { ...firewallPlan, files: firewallPlan.files.map((file) => (file.path === 'tests/test_api.py' ? { ...file, purpose: 'End-to-end API tests' } : file)) };
    const set = await sc('plan', '--project', projectName, '--set', writeJson('edited.json', edited), '--json');
    expect(set.code, set.stderr).toBe(0);
    const setLines = parseJsonLines(set.stdout);
    expect(setLines).toHaveLength(1);
    expect(setLines[0]).toMatchObject({ type: 'plan', run: { status: 'planned', concurrency: 2, plan: edited } });
    const runId = (setLines[0]?.run as RunView).id;

    const generated = await sc('generate', '--project', projectName, '--json');
    expect(generated.code, generated.stderr).toBe(0);
    const lines = parseJsonLines(generated.stdout);
    expect(lines[0]).toMatchObject({ type: 'plan', resumed: false, run: { id: runId, plan: edited } });
    expect(lines.at(-1)).toMatchObject({ type: 'result', run: { id: runId, status: 'done' } });
    expect(responder.count('plan')).toBe(1);
  });
});
