import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/AppError.ts';
import type { SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import { maxFileAnswerChars, type Plan } from '../../src-shared/pipeline/plan.ts';
import type { FileProblemView, FileStatus, FileVersionView, FindingView, RunPhase, RunStatus } from '../../src-shared/pipeline/pipelineTypes.ts';

export interface StoredRun {
  id: string;
  projectId: string;
  status: RunStatus;
  phase: RunPhase;
  spec: SpecDraft;
  plan: Plan | null;
  planPromptVersion?: string;
  concurrency: number;
  /** A regenerate: the run's calls ask the model again rather than answer from the response cache. */
  fresh: boolean;
  /** Why the project-wide type check could not run for this run (its findings are missing), in words. */
  checkNote?: string;
  error?: string;
  owner?: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredRunFile {
  path: string;
  position: number;
  status: FileStatus;
  content?: string;
  attempts: number;
  providerId?: string;
  model?: string;
  promptVersion?: string;
  inputTokens: number;
  outputTokens: number;
  problems: FileProblemView[];
  error?: string;
}

interface RunRow {
  id: string;
  project_id: string;
  status: RunStatus;
  phase: RunPhase;
  spec: string;
  plan: string | null;
  plan_prompt_version: string | null;
  concurrency: number;
  fresh: number;
  check_note: string | null;
  error: string | null;
  owner: string | null;
  created_at: string;
  updated_at: string;
}

interface FileRow {
  path: string;
  position: number;
  status: FileStatus;
  content: string | null;
  attempts: number;
  provider_id: string | null;
  model: string | null;
  prompt_version: string | null;
  input_tokens: number;
  output_tokens: number;
  problems: string;
  error: string | null;
}

const optional = <K extends string, V>(key: K, value: V | null): Partial<Record<K, V>> => (value === null ? {} : ({ [key]: value } as Record<K, V>));

/** Runs, their files, every version of each file and the findings, in SQLite. */
export class PipelineRepository {
  readonly #db: Database;
  readonly #now: () => Date;

  constructor(db: Database, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  createRun(projectId: string, spec: SpecDraft, concurrency: number, owner?: string, fresh = false): StoredRun {
    const id = randomUUID();
    const at = this.#now().toISOString();
    this.#db
      .prepare("INSERT INTO pipeline_runs (id, project_id, status, spec, concurrency, phase, owner, created_at, updated_at, fresh) VALUES (?, ?, 'planning', ?, ?, 'plan', ?, ?, ?, ?)")
      .run(id, projectId, JSON.stringify(spec), concurrency, owner ?? null, at, at, fresh ? 1 : 0);
    return this.run(id);
  }

  run(id: string): StoredRun {
    const row = this.#db.prepare('SELECT * FROM pipeline_runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No generation run with id ${id}`);
    return {
      id: row.id,
      projectId: row.project_id,
      status: row.status,
      phase: row.phase,
      spec: JSON.parse(row.spec) as SpecDraft,
      plan: row.plan === null ? null : (JSON.parse(row.plan) as Plan),
      ...optional('planPromptVersion', row.plan_prompt_version),
      concurrency: row.concurrency,
      fresh: row.fresh === 1,
      ...optional('checkNote', row.check_note),
      ...optional('error', row.error),
      ...optional('owner', row.owner),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  runs(projectId: string): StoredRun[] {
    return (this.#db.prepare('SELECT id FROM pipeline_runs WHERE project_id = ? ORDER BY created_at DESC, rowid DESC').pluck().all(projectId) as string[]).map((id) => this.run(id));
  }

  /** Runs stored in a working state; whether their owner is gone is for the caller to judge. */
  interruptedRuns(): StoredRun[] {
    return (this.#db.prepare("SELECT id FROM pipeline_runs WHERE status IN ('planning', 'generating')").pluck().all() as string[]).map((id) => this.run(id));
  }

  /** Says (or, with null, clears) why the type check could not run for this run. */
  setCheckNote(id: string, note: string | null): void {
    this.#db.prepare('UPDATE pipeline_runs SET check_note = ? WHERE id = ?').run(note === null ? null : note.slice(0, 500), id);
  }

  updateRun(id: string, patch: { status?: RunStatus; phase?: RunPhase; error?: string | null; concurrency?: number; owner?: string | null }): void {
    const current = this.run(id);
    this.#db
      .prepare('UPDATE pipeline_runs SET status = ?, phase = ?, error = ?, concurrency = ?, owner = ?, updated_at = ? WHERE id = ?')
      .run(
        patch.status ?? current.status,
        patch.phase ?? current.phase,
        patch.error === undefined ? (current.error ?? null) : patch.error,
        patch.concurrency ?? current.concurrency,
        patch.owner === undefined ? (current.owner ?? null) : patch.owner,
        this.#now().toISOString(),
        id,
      );
  }

  /**
   * Stores the plan and (re)creates the file rows: files whose plan entry did not change keep their
   * state, unless a file they depend on now promises a different interface (contract-first: they
   * were written against the old one).
   */
  setPlan(id: string, plan: Plan, promptVersion?: string): void {
    const at = this.#now().toISOString();
    this.#db.transaction(() => {
      const previous = new Map((this.run(id).plan?.files ?? []).map((file) => [file.path, file]));
      const current = new Map(plan.files.map((file) => [file.path, file]));
      const sameInterface = (path: string) => JSON.stringify(previous.get(path)?.exports) === JSON.stringify(current.get(path)?.exports);
      const unchanged = new Set(
        plan.files.filter((file) => JSON.stringify(previous.get(file.path)) === JSON.stringify(file) && file.dependsOn.every(sameInterface)).map((file) => file.path),
      );
      const keep = plan.files.map((file) => file.path).filter((path) => unchanged.has(path));
      this.#db.prepare(`DELETE FROM run_files WHERE run_id = ? AND path NOT IN (${keep.map(() => '?').join(',') || "''"})`).run(id, ...keep);
      const insert = this.#db.prepare("INSERT INTO run_files (run_id, path, position, status, updated_at) VALUES (?, ?, ?, 'pending', ?) ON CONFLICT DO UPDATE SET position = excluded.position");
      plan.files.forEach((file, position) => insert.run(id, file.path, position, at));
      this.#db
        .prepare("UPDATE pipeline_runs SET plan = ?, plan_prompt_version = coalesce(?, plan_prompt_version), status = 'planned', phase = 'plan', updated_at = ? WHERE id = ?")
        .run(JSON.stringify(plan), promptVersion ?? null, at, id);
    })();
  }

  files(runId: string): StoredRunFile[] {
    return (this.#db.prepare('SELECT * FROM run_files WHERE run_id = ? ORDER BY position').all(runId) as FileRow[]).map((row) => ({
      path: row.path,
      position: row.position,
      status: row.status,
      ...optional('content', row.content),
      attempts: row.attempts,
      ...optional('providerId', row.provider_id),
      ...optional('model', row.model),
      ...optional('promptVersion', row.prompt_version),
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      problems: JSON.parse(row.problems) as FileProblemView[],
      ...optional('error', row.error),
    }));
  }

  setFileStatus(runId: string, path: string, status: FileStatus, error?: string): void {
    this.#db.prepare('UPDATE run_files SET status = ?, error = ?, updated_at = ? WHERE run_id = ? AND path = ?').run(status, error ?? null, this.#now().toISOString(), runId, path);
  }

  /** Files that were being written when the process died go back to pending. */
  resetUnfinished(runId: string): void {
    this.#db.prepare("UPDATE run_files SET status = 'pending', error = NULL WHERE run_id = ? AND status IN ('generating', 'blocked', 'failed')").run(runId);
  }

  /**
   * Stores a new version of a file and makes it the current content, with the model call's usage
   * added to the file's totals, in one transaction.
   */
  addVersion(
    runId: string,
    path: string,
    version: { reason: FileVersionView['reason']; content: string; problems: FileProblemView[]; providerId?: string; model?: string; requestId?: string; promptVersion?: string; inputTokens?: number; outputTokens?: number; countsAsAttempt: boolean },
  ): void {
    const at = this.#now().toISOString();
    // The last guard against a runaway answer: the router already stops reading at this size.
    if (version.content.length > maxFileAnswerChars) version = { ...version, content: version.content.slice(0, maxFileAnswerChars) };
    this.#db.transaction(() => {
      this.#db
        .prepare('INSERT INTO file_versions (run_id, path, reason, content, problems, provider_id, model, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(runId, path, version.reason, version.content, JSON.stringify(version.problems), version.providerId ?? null, version.model ?? null, version.requestId ?? null, at);
      this.#db
        .prepare(
          `UPDATE run_files SET content = ?, problems = ?, attempts = attempts + ?, provider_id = coalesce(?, provider_id), model = coalesce(?, model),
             prompt_version = coalesce(?, prompt_version), input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, updated_at = ?
           WHERE run_id = ? AND path = ?`,
        )
        .run(
          version.content,
          JSON.stringify(version.problems),
          version.countsAsAttempt ? 1 : 0,
          version.providerId ?? null,
          version.model ?? null,
          version.promptVersion ?? null,
          version.inputTokens ?? 0,
          version.outputTokens ?? 0,
          at,
          runId,
          path,
        );
    })();
  }

  /** Adds a file the plan did not have (README.md / API.md written in the docs phase). */
  ensureFile(runId: string, path: string): void {
    const position = (this.#db.prepare('SELECT coalesce(max(position), -1) + 1 FROM run_files WHERE run_id = ?').pluck().get(runId) as number) ?? 0;
    this.#db.prepare("INSERT INTO run_files (run_id, path, position, status, updated_at) VALUES (?, ?, ?, 'pending', ?) ON CONFLICT DO NOTHING").run(runId, path, position, this.#now().toISOString());
  }

  versions(runId: string, path: string): FileVersionView[] {
    const rows = this.#db.prepare('SELECT * FROM file_versions WHERE run_id = ? AND path = ? ORDER BY id').all(runId, path) as {
      id: number;
      reason: FileVersionView['reason'];
      content: string;
      problems: string;
      provider_id: string | null;
      model: string | null;
      created_at: string;
    }[];
    return rows.map((row) => ({
      id: row.id,
      reason: row.reason,
      content: row.content,
      problems: JSON.parse(row.problems) as FileProblemView[],
      ...optional('providerId', row.provider_id),
      ...optional('model', row.model),
      createdAt: row.created_at,
    }));
  }

  addFinding(runId: string, finding: Omit<FindingView, 'id' | 'status'>): number {
    const result = this.#db
      .prepare("INSERT INTO run_findings (run_id, round, source, path, line, message, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)")
      .run(runId, finding.round, finding.source, finding.path, finding.line ?? null, finding.message, this.#now().toISOString());
    return Number(result.lastInsertRowid);
  }

  setFindingStatus(id: number, status: FindingView['status']): void {
    this.#db.prepare('UPDATE run_findings SET status = ? WHERE id = ?').run(status, id);
  }

  findings(runId: string): FindingView[] {
    const rows = this.#db.prepare('SELECT * FROM run_findings WHERE run_id = ? ORDER BY id').all(runId) as {
      id: number;
      round: number;
      source: FindingView['source'];
      path: string;
      line: number | null;
      message: string;
      status: FindingView['status'];
    }[];
    return rows.map((row) => ({ id: row.id, round: row.round, source: row.source, path: row.path, ...optional('line', row.line), message: row.message, status: row.status }));
  }
}
