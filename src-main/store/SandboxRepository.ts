import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/AppError.ts';
import type { RepairRound, RepairView, SandboxResult, TestRunView } from '../../src-shared/sandbox/sandboxTypes.ts';

interface TestRunRow {
  id: string;
  project_id: string;
  pipeline_run_id: string;
  repair_id: string | null;
  status: TestRunView['status'];
  image: string;
  result: string | null;
  log: string;
  created_at: string;
  finished_at: string | null;
}

interface RepairRow {
  id: string;
  project_id: string;
  pipeline_run_id: string;
  status: RepairView['status'];
  max_rounds: number;
  note: string | null;
  created_at: string;
  finished_at: string | null;
}

interface RoundRow {
  round: number;
  changed: string;
  test_run_id: string | null;
  passed: number;
  failed: number;
  note: string | null;
  created_at: string;
}

/** Sandbox test runs, repairs and repair rounds, in SQLite. */
export class SandboxRepository {
  readonly #db: Database;
  readonly #now: () => Date;

  constructor(db: Database, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  createTestRun(input: { projectId: string; pipelineRunId: string; image: string; repairId?: string; owner?: string }): TestRunView {
    const id = randomUUID();
    this.#db
      .prepare("INSERT INTO test_runs (id, project_id, pipeline_run_id, repair_id, status, image, owner, created_at) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)")
      .run(id, input.projectId, input.pipelineRunId, input.repairId ?? null, input.image, input.owner ?? null, this.#now().toISOString());
    return this.testRun(id);
  }

  finishTestRun(id: string, status: 'finished' | 'cancelled', result: SandboxResult | null): void {
    const { log, ...rest } = result ?? { log: '' };
    this.#db
      .prepare('UPDATE test_runs SET status = ?, result = ?, log = ?, finished_at = ? WHERE id = ?')
      .run(status, result ? JSON.stringify(rest) : null, log, this.#now().toISOString(), id);
  }

  testRun(id: string, withLog = true): TestRunView {
    const row = this.#db.prepare('SELECT * FROM test_runs WHERE id = ?').get(id) as TestRunRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No test run with id ${id}`);
    return {
      id: row.id,
      projectId: row.project_id,
      pipelineRunId: row.pipeline_run_id,
      ...(row.repair_id !== null ? { repairId: row.repair_id } : {}),
      status: row.status,
      image: row.image,
      result: row.result === null ? null : (JSON.parse(row.result) as TestRunView['result']),
      log: withLog ? row.log : '',
      createdAt: row.created_at,
      ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    };
  }

  testRuns(pipelineRunId: string): TestRunView[] {
    return (this.#db.prepare('SELECT id FROM test_runs WHERE pipeline_run_id = ? ORDER BY created_at DESC, rowid DESC').pluck().all(pipelineRunId) as string[]).map((id) => this.testRun(id, false));
  }

  createRepair(input: { projectId: string; pipelineRunId: string; maxRounds: number; owner?: string }): RepairView {
    const id = randomUUID();
    this.#db
      .prepare("INSERT INTO repairs (id, project_id, pipeline_run_id, status, max_rounds, owner, created_at) VALUES (?, ?, ?, 'running', ?, ?, ?)")
      .run(id, input.projectId, input.pipelineRunId, input.maxRounds, input.owner ?? null, this.#now().toISOString());
    return this.repair(id);
  }

  finishRepair(id: string, status: Exclude<RepairView['status'], 'running'>, note?: string): void {
    this.#db.prepare('UPDATE repairs SET status = ?, note = ?, finished_at = ? WHERE id = ?').run(status, note ?? null, this.#now().toISOString(), id);
  }

  addRound(repairId: string, round: Omit<RepairRound, 'createdAt'>): void {
    this.#db
      .prepare('INSERT INTO repair_rounds (repair_id, round, changed, test_run_id, passed, failed, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(repairId, round.round, JSON.stringify(round.changed), round.testRunId ?? null, round.passed, round.failed, round.note ?? null, this.#now().toISOString());
  }

  repair(id: string): RepairView {
    const row = this.#db.prepare('SELECT * FROM repairs WHERE id = ?').get(id) as RepairRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No repair with id ${id}`);
    const rounds = this.#db.prepare('SELECT * FROM repair_rounds WHERE repair_id = ? ORDER BY round').all(id) as RoundRow[];
    return {
      id: row.id,
      projectId: row.project_id,
      pipelineRunId: row.pipeline_run_id,
      status: row.status,
      maxRounds: row.max_rounds,
      ...(row.note !== null ? { note: row.note } : {}),
      rounds: rounds.map((round) => ({
        round: round.round,
        changed: JSON.parse(round.changed) as RepairRound['changed'],
        ...(round.test_run_id !== null ? { testRunId: round.test_run_id } : {}),
        passed: round.passed,
        failed: round.failed,
        ...(round.note !== null ? { note: round.note } : {}),
        createdAt: round.created_at,
      })),
      createdAt: row.created_at,
      ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    };
  }

  repairs(pipelineRunId: string): RepairView[] {
    return (this.#db.prepare('SELECT id FROM repairs WHERE pipeline_run_id = ? ORDER BY created_at DESC, rowid DESC').pluck().all(pipelineRunId) as string[]).map((id) => this.repair(id));
  }

  /**
   * Test runs and repairs left running by a core that is gone are marked interrupted (their
   * containers are reaped separately); those of a live owner (another process) are left alone.
   */
  markInterrupted(ownerAlive: (owner: string | null) => boolean): void {
    const at = this.#now().toISOString();
    this.#db.transaction(() => {
      for (const [table, set] of [
        ['test_runs', "status = 'interrupted', finished_at = ?"],
        ['repairs', "status = 'interrupted', note = 'The app closed during this repair', finished_at = ?"],
      ] as const) {
        const rows = this.#db.prepare(`SELECT id, owner FROM ${table} WHERE status = 'running'`).all() as { id: string; owner: string | null }[];
        const update = this.#db.prepare(`UPDATE ${table} SET ${set} WHERE id = ?`);
        for (const row of rows) if (!ownerAlive(row.owner)) update.run(at, row.id);
      }
    })();
  }
}
