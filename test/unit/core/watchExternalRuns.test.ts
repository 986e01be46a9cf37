import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core/createCore.ts';
import { watchExternalChanges } from '../../../src-main/core/watchExternalChanges.ts';
import { EventBus } from '../../../src-main/events/EventBus.ts';
import { InterviewRepository, type NewTurn } from '../../../src-main/store/InterviewRepository.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { PipelineRepository } from '../../../src-main/store/PipelineRepository.ts';
import { ProjectRepository } from '../../../src-main/store/ProjectRepository.ts';
import { emptySpec } from '../../../src-shared/domain/serviceSpec.ts';
import type { PlanFile } from '../../../src-shared/pipeline/plan.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const file: PlanFile = { path: 'app/main.py', purpose: 'HTTP API', language: 'python', kind: 'source', dependsOn: [], exports: ['app'] };
const turn = (projectId: string, step: number): NewTurn => ({
  projectId,
  field: 'serviceType',
  question: `Question ${step}?`,
  explanation: 'Why it matters.',
  options: [],
  questionType: 'free_text',
  step,
  totalSteps: 5,
  promptVersion: 'v1',
  providerId: 'local',
  model: 'm',
  requestId: `r${step}`,
  raw: '{}',
  createdAt: new Date().toISOString(),
});

describe('watchExternalChanges: runs and interviews', () => {
  const tempDir = useTempDirs();
  const wait = () => new Promise((resolve) => setTimeout(resolve, 80));

  it('announces runs another process creates, moves on and ends, and interview questions it asks and answers, once each', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, host: 'bridge' });
    const other = openDatabase(join(dir, 'service-creator.db'));
    const projectId = new ProjectRepository(other).create('From the CLI').id;
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.subscribe((event, payload) => {
      if (event === 'pipeline.runChanged' || event === 'interview.turnsChanged') seen.push([event, payload]);
    });
    const stop = watchExternalChanges(core.db, bus, 20);
    await wait();

    const runs = new PipelineRepository(other);
    const run = runs.createRun(projectId, emptySpec('Shop'), 1);
    await wait();
    runs.setPlan(run.id, { files: [file], install: '', test: 'pytest -q' });
    runs.updateRun(run.id, { status: 'generating', phase: 'files' });
    await wait();
    runs.addVersion(run.id, file.path, { reason: 'generate', content: 'app = 1\n', problems: [], countsAsAttempt: true });
    await wait();
    runs.updateRun(run.id, { status: 'done', phase: 'done' });
    await wait();
    const interview = new InterviewRepository(other);
    const asked = interview.addTurn(turn(projectId, 1));
    await wait();
    interview.answerTurn(projectId, asked.id, { status: 'answered', answer: { selected: [], text: 'A shop' }, outcome: 'ok', spec: emptySpec('Shop') });
    await wait();
    stop();
    other.close();
    core.close();

    const changed = ['pipeline.runChanged', { projectId, runId: run.id }];
    const turns = ['interview.turnsChanged', { projectId }];
    expect(seen).toEqual([changed, changed, changed, changed, turns, turns]);
  });

  it("says nothing of this core's own runs and answers, which its services announce, even when another process writes in the same moment", async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, host: 'bridge' });
    const other = openDatabase(join(dir, 'service-creator.db'));
    const projectId = new ProjectRepository(other).create('Both').id;
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.subscribe((event, payload) => {
      if (event === 'pipeline.runChanged' || event === 'interview.turnsChanged') seen.push([event, payload]);
    });
    const stop = watchExternalChanges(core.db, bus, 20);
    await wait();

    // This core's own writes alone: its services said them (here, as the service would).
    const ownRuns = new PipelineRepository(core.db);
    const own = ownRuns.createRun(projectId, emptySpec('Mine'), 1);
    bus.emit('pipeline.event', { runId: own.id, kind: 'changed' });
    const ownTurn = new InterviewRepository(core.db).addTurn(turn(projectId, 1));
    bus.emit('interview.event', { projectId, kind: 'changed' });
    await wait();
    // Its own write and another process's, between two looks: only the other's is announced.
    ownRuns.updateRun(own.id, { status: 'cancelled' });
    bus.emit('pipeline.event', { runId: own.id, kind: 'changed' });
    const theirs = new PipelineRepository(other).createRun(projectId, emptySpec('Theirs'), 1);
    await wait();
    stop();
    other.close();
    core.close();

    expect(ownTurn.id).toBeGreaterThan(0);
    expect(seen).toEqual([['pipeline.runChanged', { projectId, runId: theirs.id }]]);
  });

  it('still announces a question and a file written after another process deleted the project that had the newest ones (their ids are given again)', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, host: 'bridge' });
    const other = openDatabase(join(dir, 'service-creator.db'));
    const projects = new ProjectRepository(other);
    const kept = projects.create('Kept').id;
    const gone = projects.create('Gone').id;
    const runs = new PipelineRepository(other);
    const interview = new InterviewRepository(other);
    const keptRun = runs.createRun(kept, emptySpec('Kept'), 1);
    runs.setPlan(keptRun.id, { files: [file], install: '', test: 'pytest -q' });
    const goneRun = runs.createRun(gone, emptySpec('Gone'), 1);
    runs.setPlan(goneRun.id, { files: [file], install: '', test: 'pytest -q' });
    interview.addTurn(turn(kept, 1));
    runs.addVersion(keptRun.id, file.path, { reason: 'generate', content: '1\n', problems: [], countsAsAttempt: true });
    interview.addTurn(turn(gone, 1));
    runs.addVersion(goneRun.id, file.path, { reason: 'generate', content: '1\n', problems: [], countsAsAttempt: true });
    const bus = new EventBus();
    const seen: unknown[] = [];
    bus.subscribe((event, payload) => {
      if (event === 'pipeline.runChanged' || event === 'interview.turnsChanged') seen.push([event, payload]);
    });
    const stop = watchExternalChanges(core.db, bus, 20);
    await wait();

    projects.delete(gone);
    await wait();
    interview.addTurn(turn(kept, 2));
    // Only the file version moves this run (no change of its own row).
    other.prepare('INSERT INTO file_versions (run_id, path, reason, content, problems, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(keptRun.id, file.path, 'format', '1\n', '[]', new Date().toISOString());
    await wait();
    stop();
    other.close();
    core.close();

    expect(seen).toEqual([
      ['pipeline.runChanged', { projectId: kept, runId: keptRun.id }],
      ['interview.turnsChanged', { projectId: kept }],
    ]);
  });
});
