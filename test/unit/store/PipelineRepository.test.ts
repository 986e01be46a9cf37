import { describe, expect, it } from 'vitest';
import { emptySpec } from '../../../src-shared/domain/serviceSpec.ts';
import type { Plan, PlanFile } from '../../../src-shared/pipeline/plan.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { PipelineRepository } from '../../../src-main/store/PipelineRepository.ts';
import { ProjectRepository } from '../../../src-main/store/ProjectRepository.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const tempDir = useTempDirs();

function setup(path = ':memory:') {
  let tick = Date.parse('2026-11-01T00:00:00.000Z');
  const now = () => new Date((tick += 1000));
  const db = openDatabase(path);
  const projects = new ProjectRepository(db, { now });
  const runs = new PipelineRepository(db, now);
  const project = projects.create('Edge firewall');
  return { db, projects, runs, projectId: project.id };
}

const file = (path: string, extra: Partial<PlanFile> = {}): PlanFile => ({ path, purpose: `the ${path} file`, language: 'python', kind: 'source', dependsOn: [], exports: [], ...extra });
const models = file('app/models.py', { exports: ['class Rule'] });
const store = file('app/store.py', { dependsOn: ['app/models.py'], exports: ['class RuleStore'] });
const api = file('app/main.py', { dependsOn: ['app/store.py'], exports: ['app'] });
const tests = file('tests/test_api.py', { kind: 'test', dependsOn: ['app/main.py'] });
const plan = (...files: PlanFile[]): Plan => ({ files, install: 'pip install -r requirements.txt', test: 'pytest -q' });
const spec = emptySpec('Edge firewall');

/** Marks a file written: one version, done. */
function write(runs: PipelineRepository, runId: string, path: string, content = `# ${path}\n`) {
  runs.addVersion(runId, path, { reason: 'generate', content, problems: [], providerId: 'local', model: 'm', inputTokens: 10, outputTokens: 5, countsAsAttempt: true });
  runs.setFileStatus(runId, path, 'done');
}

describe('PipelineRepository: runs', () => {
  it('creates a run in the planning state with its spec, and reads it back', () => {
    const { runs, projectId } = setup();
    const run = runs.createRun(projectId, spec, 3);
    expect(run).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      projectId,
      status: 'planning',
      phase: 'plan',
      spec,
      plan: null,
      concurrency: 3,
      fresh: false,
      createdAt: '2026-11-01T00:00:02.000Z',
      updatedAt: '2026-11-01T00:00:02.000Z',
    });
    expect(runs.run(run.id)).toEqual(run);
  });

  it('names the id of a run that does not exist', () => {
    const { runs } = setup();
    expect(() => runs.run('no-such-run')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'No generation run with id no-such-run' }));
  });

  it('lists the runs of a project newest first', () => {
    const { runs, projects, projectId } = setup();
    const first = runs.createRun(projectId, spec, 1);
    const second = runs.createRun(projectId, spec, 1);
    const other = runs.createRun(projects.create('Other').id, spec, 1);
    expect(runs.runs(projectId).map((run) => run.id)).toEqual([second.id, first.id]);
    expect(runs.runs(other.projectId).map((run) => run.id)).toEqual([other.id]);
  });

  it('updates only what the patch names, and clears the error with null', () => {
    const { runs, projectId } = setup();
    const run = runs.createRun(projectId, spec, 2);
    runs.updateRun(run.id, { status: 'failed', error: 'model down' });
    expect(runs.run(run.id)).toMatchObject({ status: 'failed', phase: 'plan', error: 'model down', concurrency: 2 });
    runs.updateRun(run.id, { phase: 'files' });
    expect(runs.run(run.id)).toMatchObject({ status: 'failed', phase: 'files', error: 'model down' });
    runs.updateRun(run.id, { status: 'generating', error: null, concurrency: 6 });
    const updated = runs.run(run.id);
    expect(updated).toMatchObject({ status: 'generating', concurrency: 6 });
    expect(updated).not.toHaveProperty('error');
    expect(updated.updatedAt > run.updatedAt).toBe(true);
  });

  it('finds the runs a crash left working: planning or generating, nothing else', () => {
    const { runs, projectId } = setup();
    const statuses = ['planning', 'planned', 'generating', 'paused', 'cancelled', 'failed', 'done'] as const;
    const ids = statuses.map((status) => {
      const run = runs.createRun(projectId, spec, 1);
      runs.updateRun(run.id, { status });
      return run.id;
    });
    expect(
      runs
        .interruptedRuns()
        .map((run) => run.id)
        .sort(),
    ).toEqual([ids[0], ids[2]].sort());
  });
});

describe('PipelineRepository: plan and files', () => {
  it('stores the plan and one pending file per entry, in plan order', () => {
    const { runs, projectId } = setup();
    const run = runs.createRun(projectId, spec, 2);
    runs.setPlan(run.id, plan(models, store, api, tests), 'plan@1');
    expect(runs.run(run.id)).toMatchObject({ status: 'planned', phase: 'plan', plan: plan(models, store, api, tests), planPromptVersion: 'plan@1' });
    expect(runs.files(run.id).map((entry) => [entry.path, entry.position, entry.status, entry.attempts, entry.problems])).toEqual([
      ['app/models.py', 0, 'pending', 0, []],
      ['app/store.py', 1, 'pending', 0, []],
      ['app/main.py', 2, 'pending', 0, []],
      ['tests/test_api.py', 3, 'pending', 0, []],
    ]);
  });

  it('keeps unchanged files with their content and state, drops removed files, resets changed ones, follows the new order', () => {
    const { runs, projectId } = setup();
    const run = runs.createRun(projectId, spec, 2);
    const config = file('app/config.py');
    runs.setPlan(run.id, plan(models, store, config, tests), 'plan@1');
    write(runs, run.id, 'app/models.py');
    write(runs, run.id, 'app/config.py');
    write(runs, run.id, 'tests/test_api.py');
    runs.setFileStatus(run.id, 'app/store.py', 'failed', 'syntax error');

    const changedTests = { ...tests, purpose: 'End-to-end API tests' };
    runs.setPlan(run.id, plan(config, models, store, changedTests, file('app/extra.py')));
    expect(runs.run(run.id).planPromptVersion).toBe('plan@1');
    expect(runs.files(run.id).map((entry) => [entry.path, entry.position, entry.status, entry.content ?? null, entry.attempts])).toEqual([
      ['app/config.py', 0, 'done', '# app/config.py\n', 1],
      ['app/models.py', 1, 'done', '# app/models.py\n', 1],
      ['app/store.py', 2, 'failed', null, 0],
      ['tests/test_api.py', 3, 'pending', null, 0],
      ['app/extra.py', 4, 'pending', null, 0],
    ]);

    runs.setPlan(run.id, plan(models, changedTests));
    expect(runs.files(run.id).map((entry) => entry.path)).toEqual(['app/models.py', 'tests/test_api.py']);
  });

  it('resets a file whose dependency promises a different interface now (it was written against the old one)', () => {
    const { runs, projectId } = setup();
    const run = runs.createRun(projectId, spec, 2);
    runs.setPlan(run.id, plan(models, store, api, tests));
    for (const path of ['app/models.py', 'app/store.py', 'app/main.py', 'tests/test_api.py']) write(runs, run.id, path);

    const renamed = { ...models, exports: ['class FirewallRule'] };
    runs.setPlan(run.id, plan(renamed, store, api, tests));
    expect(runs.files(run.id).map((entry) => [entry.path, entry.status])).toEqual([
      ['app/models.py', 'pending'],
      // store imports from models: written against `class Rule`, it must be written again.
      ['app/store.py', 'pending'],
      // main depends on store only, whose promised interface did not change.
      ['app/main.py', 'done'],
      ['tests/test_api.py', 'done'],
    ]);
  });

  it('keeps a file whose dependency changed only its purpose', () => {
    const { runs, projectId } = setup();
    const run = runs.createRun(projectId, spec, 2);
    runs.setPlan(run.id, plan(models, store, tests));
    write(runs, run.id, 'app/store.py');
    runs.setPlan(run.id, plan({ ...models, purpose: 'The firewall rule, validated' }, store, tests));
    expect(runs.files(run.id).find((entry) => entry.path === 'app/store.py')?.status).toBe('done');
  });

  it('resetUnfinished puts generating, failed and blocked files back to pending, and leaves done ones', () => {
    const { runs, projectId } = setup();
    const run = runs.createRun(projectId, spec, 2);
    runs.setPlan(run.id, plan(models, store, api, tests));
    write(runs, run.id, 'app/models.py');
    runs.setFileStatus(run.id, 'app/store.py', 'failed', 'still invalid');
    runs.setFileStatus(run.id, 'app/main.py', 'blocked', 'Not written: it depends on app/store.py');
    runs.setFileStatus(run.id, 'tests/test_api.py', 'generating');
    const other = runs.createRun(projectId, spec, 2);
    runs.setPlan(other.id, plan(models, tests));
    runs.setFileStatus(other.id, 'app/models.py', 'failed', 'kept');

    runs.resetUnfinished(run.id);
    expect(runs.files(run.id).map((entry) => [entry.path, entry.status, entry.error ?? null])).toEqual([
      ['app/models.py', 'done', null],
      ['app/store.py', 'pending', null],
      ['app/main.py', 'pending', null],
      ['tests/test_api.py', 'pending', null],
    ]);
    expect(runs.files(run.id)[0]?.content).toBe('# app/models.py\n');
    expect(runs.files(other.id)[0]).toMatchObject({ status: 'failed', error: 'kept' });
  });

  it('adds a file the plan did not have at the end, once', () => {
    const { runs, projectId } = setup();
    const run = runs.createRun(projectId, spec, 2);
    runs.setPlan(run.id, plan(models, tests));
    runs.ensureFile(run.id, 'README.md');
    runs.ensureFile(run.id, 'README.md');
    runs.ensureFile(run.id, 'API.md');
    expect(runs.files(run.id).map((entry) => [entry.path, entry.position])).toEqual([
      ['app/models.py', 0],
      ['tests/test_api.py', 1],
      ['README.md', 2],
      ['API.md', 3],
    ]);
  });
});

describe('PipelineRepository: versions and findings', () => {
  it('keeps every version, makes the latest current, and adds usage to the totals', () => {
    const { runs, projectId } = setup();
    const run = runs.createRun(projectId, spec, 1);
    runs.setPlan(run.id, plan(models, tests));
    const problem = { path: 'app/models.py', rule: 'syntax' as const, line: 3, column: 1, message: 'unexpected indent' };
    runs.addVersion(run.id, 'app/models.py', { reason: 'generate', content: 'bad', problems: [problem], providerId: 'local', model: 'small', requestId: 'r1', promptVersion: 'generate-file@1', inputTokens: 100, outputTokens: 40, countsAsAttempt: true });
    runs.addVersion(run.id, 'app/models.py', { reason: 'fix', content: 'good  ', problems: [], providerId: 'cloud', model: 'big', inputTokens: 120, outputTokens: 50, countsAsAttempt: true });
    runs.addVersion(run.id, 'app/models.py', { reason: 'format', content: 'good\n', problems: [], countsAsAttempt: false });

    expect(runs.files(run.id)[0]).toMatchObject({
      content: 'good\n',
      problems: [],
      attempts: 2,
      inputTokens: 220,
      outputTokens: 90,
      providerId: 'cloud',
      model: 'big',
      promptVersion: 'generate-file@1',
    });
    const versions = runs.versions(run.id, 'app/models.py');
    expect(versions.map((version) => [version.reason, version.content, version.providerId ?? null])).toEqual([
      ['generate', 'bad', 'local'],
      ['fix', 'good  ', 'cloud'],
      ['format', 'good\n', null],
    ]);
    expect(versions[0]?.problems).toEqual([problem]);
    expect(versions[0]!.id).toBeLessThan(versions[1]!.id);
    expect(runs.versions(run.id, 'tests/test_api.py')).toEqual([]);
  });

  it('stores findings with their round, line and what became of them', () => {
    const { runs, projectId } = setup();
    const run = runs.createRun(projectId, spec, 1);
    const first = runs.addFinding(run.id, { round: 1, source: 'static', path: 'app/store.py', line: 1, message: 'imports Rules, which app/models.py does not export' });
    const second = runs.addFinding(run.id, { round: 1, source: 'review', path: 'app/main.py', message: 'POST /rules returns the wrong shape' });
    runs.setFindingStatus(first, 'fixed');
    runs.setFindingStatus(second, 'unfixed');
    expect(runs.findings(run.id)).toEqual([
      { id: first, round: 1, source: 'static', path: 'app/store.py', line: 1, message: 'imports Rules, which app/models.py does not export', status: 'fixed' },
      { id: second, round: 1, source: 'review', path: 'app/main.py', message: 'POST /rules returns the wrong shape', status: 'unfixed' },
    ]);
    expect(runs.findings(runs.createRun(projectId, spec, 1).id)).toEqual([]);
  });

  it('deletes runs with everything in them when their project is deleted', () => {
    const { db, runs, projects, projectId } = setup();
    const run = runs.createRun(projectId, spec, 1);
    runs.setPlan(run.id, plan(models, tests));
    write(runs, run.id, 'app/models.py');
    runs.addFinding(run.id, { round: 1, source: 'static', path: 'app/models.py', message: 'm' });
    const kept = runs.createRun(projects.create('Kept').id, spec, 1);
    runs.setPlan(kept.id, plan(models, tests));

    projects.delete(projectId);
    expect(() => runs.run(run.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(runs.files(run.id)).toEqual([]);
    expect(runs.versions(run.id, 'app/models.py')).toEqual([]);
    expect(runs.findings(run.id)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM run_files').pluck().get()).toBe(2);
    expect(runs.run(kept.id).plan).toEqual(plan(models, tests));
  });

  it('survives reopening the database file (what resume after a crash relies on)', () => {
    const path = `${tempDir('sc-pipeline-')}/store.sqlite`;
    const first = setup(path);
    const run = first.runs.createRun(first.projectId, spec, 2);
    first.runs.setPlan(run.id, plan(models, tests));
    write(first.runs, run.id, 'app/models.py');
    first.runs.updateRun(run.id, { status: 'generating', phase: 'files' });
    first.db.close();

    const reopened = new PipelineRepository(openDatabase(path));
    expect(reopened.interruptedRuns().map((entry) => entry.id)).toEqual([run.id]);
    expect(reopened.files(run.id).map((entry) => [entry.path, entry.status, entry.content ?? null])).toEqual([
      ['app/models.py', 'done', '# app/models.py\n'],
      ['tests/test_api.py', 'pending', null],
    ]);
  });
});
