import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/AppError.ts';
import { specDraftSchema, type SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import type { QuestionType } from '../../src-shared/interview/Slot.ts';
import type { SlotId } from '../../src-shared/interview/interviewSlots.ts';
import type { TurnStatus } from '../../src-shared/interview/interviewTypes.ts';

export interface StoredTurn {
  id: number;
  projectId: string;
  field: SlotId;
  question: string;
  explanation: string;
  options: { label: string; hint?: string }[];
  questionType: QuestionType;
  step: number;
  totalSteps: number;
  status: TurnStatus;
  answer?: { selected: string[]; text: string };
  outcome?: string;
  promptVersion: string;
  providerId: string;
  model: string;
  requestId: string;
  /** The model's answer exactly as received. */
  raw: string;
  createdAt: string;
  answeredAt?: string;
}

export type NewTurn = Omit<StoredTurn, 'id' | 'status' | 'answer' | 'outcome' | 'answeredAt'>;

export interface StoredFailure {
  id: number;
  at: string;
  code: string;
  message: string;
  raw?: string;
  promptVersion: string;
}

interface TurnRow {
  id: number;
  project_id: string;
  field: string;
  question: string;
  explanation: string;
  options: string;
  question_type: string;
  step: number;
  total_steps: number;
  status: string;
  answer: string | null;
  outcome: string | null;
  prompt_version: string;
  provider_id: string;
  model: string;
  request_id: string;
  raw: string;
  created_at: string;
  answered_at: string | null;
}

function toTurn(row: TurnRow): StoredTurn {
  return {
    id: row.id,
    projectId: row.project_id,
    field: row.field as SlotId,
    question: row.question,
    explanation: row.explanation,
    options: JSON.parse(row.options) as StoredTurn['options'],
    questionType: row.question_type as QuestionType,
    step: row.step,
    totalSteps: row.total_steps,
    status: row.status as TurnStatus,
    ...(row.answer !== null ? { answer: JSON.parse(row.answer) as StoredTurn['answer'] } : {}),
    ...(row.outcome !== null ? { outcome: row.outcome } : {}),
    promptVersion: row.prompt_version,
    providerId: row.provider_id,
    model: row.model,
    requestId: row.request_id,
    raw: row.raw,
    createdAt: row.created_at,
    ...(row.answered_at !== null ? { answeredAt: row.answered_at } : {}),
  };
}

/** The interview of each project: its spec draft, its questions and answers, its failed turns. */
export class InterviewRepository {
  readonly #db: Database;
  readonly #now: () => Date;

  constructor(db: Database, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  /** The stored draft, or undefined before anything was stored. A damaged row is an error, never silently replaced. */
  spec(projectId: string): SpecDraft | undefined {
    const row = this.#db.prepare('SELECT spec FROM service_specs WHERE project_id = ?').pluck().get(projectId) as string | undefined;
    if (row === undefined) return undefined;
    const parsed = specDraftSchema.safeParse(JSON.parse(row));
    if (!parsed.success) {
      throw new AppError('DB_CORRUPT', `The stored spec of project ${projectId} does not match this version's schema: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
    }
    return parsed.data;
  }

  saveSpec(projectId: string, spec: SpecDraft): void {
    const at = this.#now().toISOString();
    this.#db
      .prepare('INSERT INTO service_specs (project_id, spec, updated_at) VALUES (?, ?, ?) ON CONFLICT (project_id) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at')
      .run(projectId, JSON.stringify(spec), at);
    this.#db.prepare('UPDATE projects SET updated_at = ? WHERE id = ?').run(at, projectId);
  }

  /** Turns oldest first; superseded ones only when asked for. */
  turns(projectId: string, options: { includeSuperseded?: boolean } = {}): StoredTurn[] {
    const sql = options.includeSuperseded
      ? 'SELECT * FROM interview_turns WHERE project_id = ? ORDER BY id'
      : "SELECT * FROM interview_turns WHERE project_id = ? AND status <> 'superseded' ORDER BY id";
    return (this.#db.prepare(sql).all(projectId) as TurnRow[]).map(toTurn);
  }

  turn(projectId: string, id: number): StoredTurn {
    const row = this.#db.prepare('SELECT * FROM interview_turns WHERE project_id = ? AND id = ?').get(projectId, id) as TurnRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No question ${id} in this project's interview`);
    return toTurn(row);
  }

  /** Stores a new pending question and marks earlier failures as resolved. */
  addTurn(turn: NewTurn): StoredTurn {
    const id = this.#db.transaction(() => {
      const result = this.#db
        .prepare(
          `INSERT INTO interview_turns (project_id, field, question, explanation, options, question_type, step, total_steps, status,
             prompt_version, provider_id, model, request_id, raw, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          turn.projectId,
          turn.field,
          turn.question,
          turn.explanation,
          JSON.stringify(turn.options),
          turn.questionType,
          turn.step,
          turn.totalSteps,
          turn.promptVersion,
          turn.providerId,
          turn.model,
          turn.requestId,
          turn.raw,
          turn.createdAt,
        );
      this.#db.prepare('UPDATE interview_failures SET resolved = 1 WHERE project_id = ?').run(turn.projectId);
      return Number(result.lastInsertRowid);
    })();
    return this.turn(turn.projectId, id);
  }

  /** Stores the user's answer with what it did to the spec, in one transaction with the spec. */
  answerTurn(projectId: string, id: number, update: { status: 'answered' | 'vague'; answer: { selected: string[]; text: string }; outcome: string; spec: SpecDraft }): void {
    this.#db.transaction(() => {
      this.#db
        .prepare('UPDATE interview_turns SET status = ?, answer = ?, outcome = ?, answered_at = ? WHERE project_id = ? AND id = ?')
        .run(update.status, JSON.stringify(update.answer), update.outcome, this.#now().toISOString(), projectId, id);
      this.saveSpec(projectId, update.spec);
    })();
  }

  supersede(projectId: string, ids: readonly number[]): void {
    const statement = this.#db.prepare("UPDATE interview_turns SET status = 'superseded' WHERE project_id = ? AND id = ?");
    this.#db.transaction(() => {
      for (const id of ids) statement.run(projectId, id);
    })();
  }

  addFailure(projectId: string, failure: Omit<StoredFailure, 'id'>): void {
    this.#db
      .prepare('INSERT INTO interview_failures (project_id, at, code, message, raw, prompt_version) VALUES (?, ?, ?, ?, ?, ?)')
      .run(projectId, failure.at, failure.code, failure.message, failure.raw ?? null, failure.promptVersion);
  }

  /** The newest failure not followed by a successful question. */
  openFailure(projectId: string): StoredFailure | undefined {
    const row = this.#db
      .prepare('SELECT id, at, code, message, raw, prompt_version FROM interview_failures WHERE project_id = ? AND resolved = 0 ORDER BY id DESC LIMIT 1')
      .get(projectId) as { id: number; at: string; code: string; message: string; raw: string | null; prompt_version: string } | undefined;
    if (!row) return undefined;
    return { id: row.id, at: row.at, code: row.code, message: row.message, ...(row.raw !== null ? { raw: row.raw } : {}), promptVersion: row.prompt_version };
  }

  failures(projectId: string): StoredFailure[] {
    return (
      this.#db.prepare('SELECT id, at, code, message, raw, prompt_version FROM interview_failures WHERE project_id = ? ORDER BY id').all(projectId) as {
        id: number;
        at: string;
        code: string;
        message: string;
        raw: string | null;
        prompt_version: string;
      }[]
    ).map((row) => ({ id: row.id, at: row.at, code: row.code, message: row.message, ...(row.raw !== null ? { raw: row.raw } : {}), promptVersion: row.prompt_version }));
  }

  /** Start over: every turn superseded, failures resolved, spec replaced. */
  reset(projectId: string, spec: SpecDraft): void {
    this.#db.transaction(() => {
      this.#db.prepare("UPDATE interview_turns SET status = 'superseded' WHERE project_id = ?").run(projectId);
      this.#db.prepare('UPDATE interview_failures SET resolved = 1 WHERE project_id = ?').run(projectId);
      this.saveSpec(projectId, spec);
    })();
  }
}
