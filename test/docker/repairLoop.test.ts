import Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/createCore.ts';
import type { RunView } from '../../src-shared/pipeline/pipelineTypes.ts';
import type { RepairView, TestRunView } from '../../src-shared/sandbox/sandboxTypes.ts';
import { currentOwner, ownerLabel } from '../../src-main/sandbox/sandboxLabels.ts';
import { coreCaller } from '../support/coreCaller.ts';
import { startFakeOpenAiServer, type FakeServer } from '../support/fakes/fakeOpenAiServer.ts';
import { vFirewallSpec } from '../support/interviewScript.ts';
import { buggyFirewallStore, firewallFiles, firewallPlan } from '../support/pipelineProject.ts';
import { classifyPipelineRequest, pipelineResponder } from '../support/pipelineResponder.ts';
import type { Plan } from '../../src-shared/pipeline/plan.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

/**
 * Generated projects tested in the real sandbox (Docker engine + the offline Python image), and
 * the repair loop turning a red project green with scripted `fix` answers from a loopback server.
 */

describe('tests and repair in the sandbox', () => {
  const tempDir = useTempDirs();
  const open: { core: Core; server: FakeServer }[] = [];

  afterEach(async () => {
    for (const item of open.splice(0)) {
      await item.core.dispose();
      await item.server.close();
    }
    // Only this process's: other test files may be running sandboxes on the same engine.
    const left = await new Docker().listContainers({ all: true, filters: { label: ['service-creator.sandbox', `${ownerLabel}=${currentOwner()}`] } });
    expect(left).toEqual([]);
  });

  /**
   * A generated project whose repair prompts get a perfect scripted fixer: `repairs` maps a path to
   * its correct content; a repair prompt for any other file is answered with the file unchanged
   * (what a perfect fixer does for a file that is not at fault). Generation prompts get `files`.
   */
  async function generated(files: Record<string, string | string[]>, options: { plan?: Plan; repairs?: Record<string, string> } = {}) {
    const responder = pipelineResponder({ plan: options.plan ?? firewallPlan, files });
    const repairPrompts: { path: string; prompt: string }[] = [];
    const respond = (body: unknown) => {
      const user = (body as { messages?: { role: string; content: string }[] }).messages?.find((message) => message.role === 'user')?.content ?? '';
      const asked = classifyPipelineRequest(body);
      if (options.repairs && asked.kind === 'fix' && user.includes('Why this file was chosen')) {
        repairPrompts.push({ path: asked.path, prompt: user });
        const content = options.repairs[asked.path] ?? /<<<DATA content\n([\s\S]*?)\nDATA>>>/.exec(user)?.[1] ?? '';
        return { reply: content };
      }
      return responder.respond(body);
    };
    const server = await startFakeOpenAiServer({ respond, models: ['scripted'] });
    const core = createCore({ dataDir: tempDir(), host: 'cli', env: { ...process.env, FAKE_KEY: 'k' }, routerOptions: { baseDelayMs: 1, maxDelayMs: 5 } });
    open.push({ core, server });
    const call = coreCaller(core);
    await call('providers.add', { config: { id: 'fake', type: 'openai', label: 'Fake', location: 'local', baseUrl: server.url, models: ['scripted'], apiKeyEnv: 'FAKE_KEY' } });
    const project = await call<{ id: string }>('projects.create', { name: 'Edge firewall' });
    await call('spec.set', { projectId: project.id, spec: { ...vFirewallSpec, name: 'Edge firewall' } });
    const planned = await call<RunView>('pipeline.plan', { projectId: project.id });
    await call('pipeline.start', { runId: planned.id });
    const run = await call<RunView>('pipeline.wait', { runId: planned.id });
    expect(run.status).toBe('done');
    return { call, responder, run, repairPrompts, core };
  }

  it('runs a generated project\'s own tests: all pass, each case reported', async () => {
    const { call, run } = await generated(firewallFiles);
    expect(await call('sandbox.status')).toMatchObject({ ok: true });
    const started = await call<TestRunView>('tests.run', { runId: run.id });
    const done = await call<TestRunView>('tests.wait', { testRunId: started.id });
    expect(done.result).toMatchObject({ outcome: 'passed', summary: { passed: 2, failed: 0, errors: 0 }, installed: false });
    expect(done.result?.installNote).toMatch(/network/);
    expect(done.result?.cases.map((testCase) => testCase.status)).toEqual(['passed', 'passed']);
    expect((await call<TestRunView[]>('tests.list', { runId: run.id })).map((testRun) => testRun.id)).toEqual([started.id]);
  });

  it('the repair loop turns a red project green with a scripted fix, recording each round', async () => {
    const { call, responder, run, core } = await generated({ ...firewallFiles, 'app/store.py': [buggyFirewallStore, firewallFiles['app/store.py'] ?? ''] });
    const started = await call<RepairView>('repair.start', { runId: run.id, rounds: 3 });
    const repair = await call<RepairView>('repair.wait', { repairId: started.id });
    expect(repair).toMatchObject({ status: 'green', note: 'Green after 1 round(s)' });
    expect(repair.rounds.map((round) => [round.round, round.failed])).toEqual([
      [0, 2],
      [1, 0],
    ]);
    expect(repair.rounds[1]?.changed).toContainEqual({ path: 'app/store.py', outcome: 'changed', why: expect.any(String) });
    expect(responder.count('fix:app/store.py')).toBe(1);
    // The repair's calls are the run's: counted with it.
    const fixes = core.gateway.attempts.recent(1_000, 'calls').filter((attempt) => attempt.task === 'fix');
    expect(fixes.length).toBeGreaterThan(0);
    expect(fixes.every((attempt) => attempt.runId === run.id)).toBe(true);
    const versions = await call<{ reason: string; content: string }[]>('pipeline.fileVersions', { runId: run.id, path: 'app/store.py' });
    expect(versions.at(-1)).toMatchObject({ reason: 'repair', content: firewallFiles['app/store.py'] });
  });

  it('after a round that changes nothing, asks the files not asked yet, then stops when none is left', async () => {
    // Every fix answer repeats the bug: round 1 changes nothing, so round 2 asks the other sources the
    // failing tests reach (the failures are the same: the tests are not run again); then nothing is left.
    const { call, run } = await generated({ ...firewallFiles, 'app/store.py': buggyFirewallStore });
    const started = await call<RepairView>('repair.start', { runId: run.id, rounds: 3 });
    const repair = await call<RepairView>('repair.wait', { repairId: started.id });
    const [, first, second] = repair.rounds;
    const asked = (round: typeof first) => (round?.changed ?? []).map((item) => item.path);
    expect(first?.changed.map((item) => item.outcome)).not.toContain('changed');
    expect(asked(first)).toContain('app/store.py');
    expect(asked(second).length).toBeGreaterThan(0);
    expect(asked(second).filter((path) => asked(first).includes(path))).toEqual([]);
    expect(first?.note).toBe(`No usable change: the next round asks ${asked(second).join(', ')}`);
    expect(second).toMatchObject({ note: 'No usable change: stopped' });
    expect(second?.testRunId).toBeUndefined();
    expect(second?.changed[0]?.why).toMatch(/through the plan's dependencies .*; the files asked before changed nothing/);
    expect(repair).toMatchObject({ status: 'stopped', note: 'Round 2 produced no usable change' });
    expect(repair.rounds).toHaveLength(3);
    expect(await call<TestRunView[]>('tests.list', { runId: run.id })).toHaveLength(1);
  });

  it('a package declared under the wrong name is fixed in requirements.txt (not in the file importing it), and the install makes it green', async () => {
    // requirements.txt says `slugify` where the import comes from python-slugify: the checks before
    // the sandbox see the import declared; only the run shows it missing. The image has no pip and
    // the sandbox no network, so the project carries a tiny installer for its vendored packages:
    // as with pip, what requirements.txt names is what the tests can import.
    const plan: Plan = {
      ...firewallPlan,
      files: [
        ...firewallPlan.files.map((file) => (file.path === 'app/models.py' ? { ...file, exports: ['class Rule', 'def rule_slug'] } : file)),
        { path: 'vendor/python-slugify/slugify/__init__.py', purpose: 'Vendored slugify package', language: 'python', kind: 'config', dependsOn: [], exports: [] },
        { path: 'install_vendored.py', purpose: 'Installs the vendored packages requirements.txt lists', language: 'python', kind: 'config', dependsOn: ['requirements.txt'], exports: [] },
      ],
      install: 'python3 install_vendored.py',
    };
    const models = `${firewallFiles['app/models.py'] ?? ''}\n\ndef rule_slug(rule: Rule) -> str:\n    return slugify(rule.name)\n`.replace('from pydantic import BaseModel\n', 'from pydantic import BaseModel\nfrom slugify import slugify\n');
    const files = {
      ...firewallFiles,
      'requirements.txt': `${firewallFiles['requirements.txt'] ?? ''}slugify>=0.0.1\n`,
      'app/models.py': models,
      'tests/test_store.py': `${firewallFiles['tests/test_store.py'] ?? ''}\n\ndef test_slug():\n    from app.models import rule_slug\n\n    assert rule_slug(Rule(name="Web Server", source="any", destination="x")) == "web-server"\n`,
      'vendor/python-slugify/slugify/__init__.py': 'def slugify(text: str) -> str:\n    return "-".join(text.lower().split())\n',
      'install_vendored.py': [
        'import pathlib',
        'import re',
        'import shutil',
        'import site',
        '',
        'target = pathlib.Path(site.getusersitepackages())',
        'target.mkdir(parents=True, exist_ok=True)',
        'for line in pathlib.Path("requirements.txt").read_text().splitlines():',
        '    name = re.split(r"[<>=!~\\[; ]", line.strip(), maxsplit=1)[0].lower()',
        '    source = pathlib.Path("vendor") / name',
        '    if name and source.is_dir():',
        '        for package in source.iterdir():',
        '            shutil.copytree(package, target / package.name, dirs_exist_ok=True)',
        '',
      ].join('\n'),
    };
    const fixedRequirements = `${firewallFiles['requirements.txt'] ?? ''}python-slugify>=8\n`;
    const { call, run, repairPrompts } = await generated(files, { plan, repairs: { 'requirements.txt': fixedRequirements } });
    const started = await call<RepairView>('repair.start', { runId: run.id, rounds: 2, allowNetworkInstall: true });
    const repair = await call<RepairView>('repair.wait', { repairId: started.id });
    expect(repair).toMatchObject({ status: 'green', note: 'Green after 1 round(s)' });
    expect(repair.rounds[1]?.changed).toEqual([
      { path: 'requirements.txt', outcome: 'changed', why: "ModuleNotFoundError: No module named 'slugify': requirements.txt declares slugify, but the import \"slugify\" comes from the distribution python-slugify; declare python-slugify instead" },
    ]);
    expect(repairPrompts.map((asked) => asked.path)).toEqual(['requirements.txt']);
    expect(repairPrompts[0]?.prompt).toContain('Add the package python-slugify.');
  });

  it('a test that expects the wrong status is fixed in the test, by the plan\'s promise', async () => {
    const plan: Plan = { ...firewallPlan, files: firewallPlan.files.map((file) => (file.path === 'app/main.py' ? { ...file, exports: ['app', 'POST /rules -> 201 Created', 'GET /rules -> 200'] } : file)) };
    const main = (firewallFiles['app/main.py'] ?? '').replace('@app.post("/rules")', '@app.post("/rules", status_code=201)');
    const rightTest = (firewallFiles['tests/test_api.py'] ?? '').replace('assert created.status_code == 200', 'assert created.status_code == 201');
    const { call, run, repairPrompts } = await generated({ ...firewallFiles, 'app/main.py': main }, { plan, repairs: { 'tests/test_api.py': rightTest } });
    const started = await call<RepairView>('repair.start', { runId: run.id, rounds: 2 });
    const repair = await call<RepairView>('repair.wait', { repairId: started.id });
    expect(repair).toMatchObject({ status: 'green', note: 'Green after 1 round(s)' });
    expect(repair.rounds[1]?.changed).toEqual([
      { path: 'tests/test_api.py', outcome: 'changed', why: 'the test expects status 200, but the plan promises POST /rules -> 201 Created and the service answered 201' },
    ]);
    expect(repairPrompts.map((asked) => asked.path)).toEqual(['tests/test_api.py']);
  });

  it('a defect in an indirect dependency (the model type the API uses) is fixed there, in a round that may change several files', async () => {
    // tests/test_api.py depends on app/main.py only; the defect is in app/models.py, which the
    // traceback does not show (pydantic raises), but the error names its type.
    const main = [
      'from fastapi import Body, FastAPI',
      '',
      'from app.models import Rule',
      'from app.store import RuleStore',
      '',
      'app = FastAPI()',
      'store = RuleStore()',
      '',
      '',
      '@app.post("/rules")',
      'def create_rule(body: dict = Body(...)) -> dict:',
      '    rule = Rule(**body)',
      '    return store.add(rule).dict()',
      '',
      '',
      '@app.get("/rules")',
      'def list_rules() -> list:',
      '    return [rule.dict() for rule in store.list()]',
      '',
    ].join('\n');
    const buggyModels = (firewallFiles['app/models.py'] ?? '').replace('    action: str = "deny"', '    port: int\n    action: str = "deny"');
    const { call, run, repairPrompts } = await generated({ ...firewallFiles, 'app/main.py': main, 'app/models.py': buggyModels }, { repairs: { 'app/models.py': firewallFiles['app/models.py'] ?? '' } });
    const started = await call<RepairView>('repair.start', { runId: run.id, rounds: 2 });
    const repair = await call<RepairView>('repair.wait', { repairId: started.id });
    expect(repair).toMatchObject({ status: 'green', note: 'Green after 1 round(s)' });
    const changed = repair.rounds[1]?.changed ?? [];
    expect(changed.find((item) => item.path === 'app/models.py')).toEqual({
      path: 'app/models.py',
      outcome: 'changed',
      why: expect.stringContaining('"Rule", named in the error, is defined here (reached from'),
    });
    expect(repairPrompts.map((asked) => asked.path)).toContain('app/models.py');
  });

  it('a test that loops forever: the run names it, and repair fixes the file its stack was in', async () => {
    const looping = (firewallFiles['app/store.py'] ?? '').replace('        return list(self._rules)', '        while len(self._rules) < 2:\n            pass\n        return list(self._rules)');
    const { call, run, repairPrompts } = await generated({ ...firewallFiles, 'app/store.py': looping }, { repairs: { 'app/store.py': firewallFiles['app/store.py'] ?? '' } });
    const started = await call<RepairView>('repair.start', { runId: run.id, rounds: 2, timeoutSeconds: 8 });
    const repair = await call<RepairView>('repair.wait', { repairId: started.id });
    // On failure, show each round's run in full (outcome, message, the log's end), not only the rounds.
    const runs = await Promise.all(repair.rounds.map(async (round) => (round.testRunId ? await call<TestRunView>('tests.get', { testRunId: round.testRunId }) : undefined)));
    const told = JSON.stringify({ rounds: repair.rounds, runs: runs.map((view) => view && { result: view.result, log: view.log.slice(-3000) }) }, null, 1);
    expect(repair, told).toMatchObject({ status: 'green', note: 'Green after 1 round(s)' });
    const before = await call<TestRunView>('tests.get', { testRunId: repair.rounds[0]?.testRunId });
    const seen = JSON.stringify({ result: before.result, rounds: repair.rounds }, null, 1);
    expect(before.result, seen).toMatchObject({ outcome: 'timeout', runaway: { file: expect.stringMatching(/^tests\/test_(store|api)\.py$/) } });
    expect(before.result?.message, seen).toMatch(/^The tests ran past the 8 s limit and were stopped; tests\/test_(store|api)\.py::\S+ \(at app\/store\.py line 1[0-9], in list\) was running$/);
    expect(repair.rounds[1]?.changed[0], seen).toMatchObject({ path: 'app/store.py', outcome: 'changed', why: expect.stringMatching(/^innermost project frame of the stack of tests\/test_(store|api)\.py::\S+ when the run was stopped \(app\/store\.py:1[0-9], in list\)/) });
    expect(repairPrompts[0]?.prompt).toContain('in list');
  });
});
