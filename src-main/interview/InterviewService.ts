import { AppError } from '../../src-shared/AppError.ts';
import { migrateSpec } from '../../src-shared/domain/migrateSpec.ts';
import { checkSpec, emptySpec, specDraftSchema, type SpecCheck, type SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import { matchOption, type Answer, type SlotOption } from '../../src-shared/interview/Slot.ts';
import { dependentsOf, remainingSlots, slotById, type SlotId } from '../../src-shared/interview/interviewSlots.ts';
import type { InterviewState, TurnView } from '../../src-shared/interview/interviewTypes.ts';
import type { EventBus } from '../events/EventBus.ts';
import { chatStructured } from '../gateway/chatStructured.ts';
import type { InterviewRepository, StoredTurn } from '../store/InterviewRepository.ts';
import type { ProjectRepository } from '../store/ProjectRepository.ts';
import { buildInterviewPrompt } from './buildInterviewPrompt.ts';
import { buildTurnSchema } from './buildTurnSchema.ts';
import { extractPartialString } from './extractPartialString.ts';
import type { RouteRequest, RouteResult } from '../modelCall/modelCallTypes.ts';

export interface InterviewServiceDeps {
  interviews: InterviewRepository;
  projects: ProjectRepository;
  bus: EventBus;
  chat: (request: RouteRequest) => Promise<RouteResult>;
  promptsDir: string;
  now?: () => Date;
}

export interface SpecView {
  spec: SpecDraft;
  check: SpecCheck;
}

/**
 * The requirements interview of each project. The model (task `interview`, through the router)
 * only writes questions; the answers become spec values through the slots, so the spec holds
 * nothing the user did not pick or type. Every question, answer and failed attempt is stored
 * before anything else happens, so closing the app at any point resumes at the same question.
 */
export class InterviewService {
  readonly #deps: InterviewServiceDeps;
  readonly #now: () => Date;
  readonly #inFlight = new Map<string, { promise: Promise<InterviewState>; controller: AbortController }>();

  constructor(deps: InterviewServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  spec(projectId: string): SpecDraft {
    const project = this.#deps.projects.get(projectId);
    return this.#deps.interviews.spec(projectId) ?? emptySpec(project.name);
  }

  specView(projectId: string): SpecView {
    const spec = this.spec(projectId);
    return { spec, check: checkSpec(spec) };
  }

  state(projectId: string): InterviewState {
    const spec = this.spec(projectId);
    const turns = this.#deps.interviews.turns(projectId);
    const remaining = remainingSlots(spec);
    const answered = turns.filter((turn) => turn.status === 'answered').length;
    const done = remaining.length === 0;
    const pending = turns.findLast((turn) => turn.status === 'pending');
    const failure = this.#deps.interviews.openFailure(projectId);
    return {
      projectId,
      turns: turns.map(toView),
      pending: pending && !done ? toView(pending) : null,
      done,
      progress: { step: done ? answered : answered + 1, totalSteps: answered + remaining.length },
      spec,
      check: checkSpec(spec),
      lastError: failure ? { code: failure.code, message: failure.message, at: failure.at } : null,
      busy: this.#inFlight.has(projectId),
    };
  }

  /**
   * The next question: the pending one if there is one (nothing is asked twice), none when the
   * spec is complete, else a new one from the model. Concurrent calls share one model request.
   */
  next(projectId: string): Promise<InterviewState> {
    const running = this.#inFlight.get(projectId);
    if (running) return running.promise;
    const current = this.state(projectId);
    if (current.done || current.pending) return Promise.resolve(current);
    const controller = new AbortController();
    // The state is read after the in-flight entry is gone, so it does not say "busy".
    const promise = this.#ask(projectId, controller.signal)
      .finally(() => {
        this.#inFlight.delete(projectId);
        this.#changed(projectId);
      })
      .then(() => this.state(projectId));
    this.#inFlight.set(projectId, { promise, controller });
    this.#changed(projectId);
    return promise;
  }

  /** Stops the model call of this project's interview, if one runs. */
  cancel(projectId: string): boolean {
    const running = this.#inFlight.get(projectId);
    if (!running) return false;
    running.controller.abort(new AppError('CANCELLED', 'The question was cancelled'));
    return true;
  }

  /** Stops every running model call (the app is closing). */
  cancelAll(): void {
    for (const projectId of [...this.#inFlight.keys()]) this.cancel(projectId);
  }

  answer(projectId: string, turnId: number, answer: Answer): InterviewState {
    const turn = this.#deps.interviews.turn(projectId, turnId);
    if (turn.status !== 'pending') {
      throw new AppError('CONFLICT', turn.status === 'superseded' ? 'This question is no longer asked: answer the current one' : 'This question was answered already: edit that answer instead');
    }
    const spec = this.spec(projectId);
    const slot = slotById(turn.field);
    const result = slot.apply(spec, answer, turn.options.map((option) => option.label));
    this.#deps.interviews.answerTurn(
      projectId,
      turnId,
      result.ok ? { status: 'answered', answer, outcome: result.summary, spec: result.spec } : { status: 'vague', answer, outcome: result.vague, spec },
    );
    this.#changed(projectId);
    return this.state(projectId);
  }

  /**
   * Changes an earlier answer. When the value changes, everything that builds on it (transitively)
   * is cleared and asked again; the answer history stays. A vague new answer is refused and the
   * old one kept.
   */
  edit(projectId: string, turnId: number, answer: Answer): { state: InterviewState; cleared: SlotId[] } {
    const turn = this.#deps.interviews.turn(projectId, turnId);
    if (turn.status === 'pending') throw new AppError('CONFLICT', 'This question has no answer yet: answer it instead');
    if (turn.status === 'superseded') throw new AppError('CONFLICT', 'This question was replaced by a later one: edit that one');
    const before = this.spec(projectId);
    const slot = slotById(turn.field);
    const result = slot.apply(before, answer, turn.options.map((option) => option.label));
    if (!result.ok) throw new AppError('INVALID_INPUT', `That answer is too vague to use, so the old one stays: ${result.vague}`);
    let spec = result.spec;
    const cleared: SlotId[] = [];
    const changed = JSON.stringify(before) !== JSON.stringify(spec);
    const dependents = changed ? dependentsOf(slot.id) : [];
    if (changed) {
      for (const dependent of dependents) {
        const dependentSlot = slotById(dependent);
        if (dependentSlot.isKnown(spec)) cleared.push(dependent);
        spec = dependentSlot.clear(spec);
      }
    }
    const stale = this.#deps.interviews
      .turns(projectId)
      .filter(
        (other) =>
          other.id !== turnId &&
          (cleared.includes(other.field) ||
            !slotById(other.field).isNeeded(spec) ||
            // A pending question about a dependent was worded (and its options chosen) for the old value.
            (other.status === 'pending' && (dependents.includes(other.field) || slotById(other.field).isKnown(spec)))),
      )
      .map((other) => other.id);
    this.#deps.interviews.answerTurn(projectId, turnId, { status: 'answered', answer, outcome: result.summary, spec });
    this.#deps.interviews.supersede(projectId, stale);
    this.#changed(projectId);
    return { state: this.state(projectId), cleared };
  }

  /** Starts over: the spec keeps only the name, every earlier question stays in the history as superseded. */
  reset(projectId: string): InterviewState {
    const project = this.#deps.projects.get(projectId);
    this.cancel(projectId);
    this.#deps.interviews.reset(projectId, emptySpec(project.name));
    this.#changed(projectId);
    return this.state(projectId);
  }

  /** Replaces the draft (form or JSON editing). A pending question about a field now filled is dropped. */
  setSpec(projectId: string, draft: SpecDraft): SpecView {
    this.#deps.projects.get(projectId);
    const spec = specDraftSchema.parse(draft);
    this.#deps.interviews.saveSpec(projectId, spec);
    const stale = this.#deps.interviews
      .turns(projectId)
      .filter((turn) => turn.status === 'pending' && (slotById(turn.field).isKnown(spec) || !slotById(turn.field).isNeeded(spec)))
      .map((turn) => turn.id);
    this.#deps.interviews.supersede(projectId, stale);
    this.#changed(projectId);
    return { spec, check: checkSpec(spec) };
  }

  importSpec(projectId: string, json: string): SpecView & { migratedFrom?: number; dropped: string[] } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new AppError('INVALID_INPUT', `The spec file is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { spec, migratedFrom, dropped } = migrateSpec(parsed);
    const named = spec.name ? spec : { ...spec, name: this.#deps.projects.get(projectId).name };
    return { ...this.setSpec(projectId, named), dropped, ...(migratedFrom !== undefined ? { migratedFrom } : {}) };
  }

  exportSpec(projectId: string): { fileName: string; json: string; check: SpecCheck } {
    const project = this.#deps.projects.get(projectId);
    const spec = this.spec(projectId);
    const slug = project.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'service';
    return { fileName: `${slug}.service-spec.json`, json: `${JSON.stringify(spec, null, 2)}\n`, check: checkSpec(spec) };
  }

  async #ask(projectId: string, signal: AbortSignal): Promise<void> {
    const spec = this.spec(projectId);
    const turns = this.#deps.interviews.turns(projectId);
    const remaining = remainingSlots(spec);
    const last = turns.at(-1);
    const followUp = last?.status === 'vague' && remaining.some((slot) => slot.id === last.field) ? last : undefined;
    const openFields = followUp ? [followUp.field] : remaining.map((slot) => slot.id);
    const answered = turns.filter((turn) => turn.status === 'answered').length;
    const progress = { step: answered + 1, totalSteps: answered + remaining.length };
    const prompt = buildInterviewPrompt({ promptsDir: this.#deps.promptsDir, spec, turns, openFields, followUp, progress });
    let streamed = '';
    let shown = '';
    try {
      // The project goes with the call: one kept local never reaches a cloud target.
      const { value, result } = await chatStructured((request) => this.#deps.chat({ ...request, projectId }), {
        task: 'interview',
        promptVersion: prompt.version,
        messages: prompt.messages,
        // Enough for the schema's bounds (240 + 480 + 8 x 60 characters) even at one token per character.
        maxTokens: 2048,
        temperature: 0.3,
        signal,
        schema: buildTurnSchema(openFields as [SlotId, ...SlotId[]]),
        schemaName: 'interview_turn',
        onEvent: (event) => {
          if (event.type === 'attempt' || event.type === 'restart') {
            if (event.type === 'restart') this.#deps.bus.emit('interview.event', { projectId, kind: 'restart', reason: event.reason });
            streamed = '';
            shown = '';
            return;
          }
          if (event.type !== 'text') return;
          streamed += event.text;
          const explanation = extractPartialString(streamed, 'explanation');
          if (explanation !== undefined && explanation !== shown) {
            shown = explanation;
            this.#deps.bus.emit('interview.event', { projectId, kind: 'explanation', text: explanation });
          }
        },
      });
      const slot = slotById(value.field);
      const options = this.#options(slot.options(spec), value.options);
      this.#deps.interviews.addTurn({
        projectId,
        field: value.field,
        question: value.question.trim(),
        explanation: value.explanation.trim(),
        options,
        questionType: options.length === 0 ? 'free_text' : slot.questionType,
        step: progress.step,
        totalSteps: progress.totalSteps,
        promptVersion: prompt.version,
        providerId: result.target.providerId,
        model: result.target.model,
        requestId: result.requestId,
        raw: result.text,
        createdAt: this.#now().toISOString(),
      });
    } catch (error) {
      const appError = error instanceof AppError ? error : new AppError('PROVIDER_FAILED', error instanceof Error ? error.message : String(error), { cause: error });
      if (appError.code !== 'CANCELLED' && !signal.aborted) {
        this.#deps.interviews.addFailure(projectId, {
          at: this.#now().toISOString(),
          code: appError.code,
          message: appError.message,
          ...(streamed !== '' ? { raw: streamed } : {}),
          promptVersion: prompt.version,
        });
      }
      throw signal.aborted ? new AppError('CANCELLED', 'The question was cancelled') : appError;
    }
  }

  /**
   * Fixed options come from the slot (the model may only put the fitting ones first); an open
   * field shows the model's suggestions, already checked for unsafe text by the turn schema.
   */
  #options(fixed: SlotOption[] | undefined, proposed: readonly string[]): { label: string; hint?: string }[] {
    const strip = ({ label, hint }: SlotOption) => ({ label, ...(hint ? { hint } : {}) });
    if (!fixed) return proposed.map((label) => ({ label: label.trim() }));
    const first = proposed.map((label) => matchOption(fixed, label)).filter((option): option is SlotOption => option !== undefined);
    return [...new Set([...first, ...fixed])].map(strip);
  }

  #changed(projectId: string): void {
    this.#deps.bus.emit('interview.event', { projectId, kind: 'changed' });
  }
}

function toView(turn: StoredTurn): TurnView {
  return {
    id: turn.id,
    field: turn.field,
    fieldLabel: slotById(turn.field).label,
    question: turn.question,
    explanation: turn.explanation,
    options: turn.options,
    questionType: turn.questionType,
    step: turn.step,
    totalSteps: turn.totalSteps,
    status: turn.status,
    ...(turn.answer ? { answer: turn.answer } : {}),
    ...(turn.outcome !== undefined ? { outcome: turn.outcome } : {}),
    promptVersion: turn.promptVersion,
    providerId: turn.providerId,
    model: turn.model,
    createdAt: turn.createdAt,
    ...(turn.answeredAt ? { answeredAt: turn.answeredAt } : {}),
  };
}
