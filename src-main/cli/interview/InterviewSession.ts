import { AppError } from '../../../src-shared/AppError.ts';
import type { Answer } from '../../../src-shared/interview/Slot.ts';
import type { InterviewEvent, InterviewState, TurnStatus, TurnView } from '../../../src-shared/interview/interviewTypes.ts';
import type { CliContext } from '../CliContext.ts';
import { describeCheck, describeSpec } from '../describeSpec.ts';
import { safeTerminalText } from '../safeTerminalText.ts';
import { rawStreams } from '../terminalSafeIo.ts';

export interface AnswerOutcome {
  state: InterviewState;
  status: TurnStatus;
  outcome: string;
}

/** Clears the status line (carriage return, erase the whole line). */
const clearLine = '\r\u001b[2K';

/**
 * One `service-creator interview` run over a project: asks for questions, stores answers, prints
 * both for people or as JSON lines, and turns Ctrl+C into "cancel the model call, report where it
 * stopped". Everything is stored by the core as it happens, so stopping at any point loses
 * nothing. A question is printed in reading order, header, question, explanation, once it is
 * whole; while the model writes it, a terminal shows one status line on stderr with the latest
 * words of the explanation, cleared before the question is printed.
 */
export class InterviewSession {
  readonly projectId: string;
  /** Resolves when the user asks to stop (Ctrl+C). */
  readonly stopRequested: Promise<void>;
  readonly #ctx: CliContext;
  readonly #streaming: boolean;
  #stopped = false;
  #resolveStop: () => void = () => undefined;
  /** Whether the status line is on screen (and must be cleared before anything is printed). */
  #statusShown = false;
  /** The first Ctrl+C stops cleanly; a second one (the cancel hangs) ends the process as usual. */
  readonly #onSigint = () => {
    if (!this.#stopped) return this.stop();
    this.dispose();
    process.kill(process.pid, 'SIGINT');
  };

  constructor(ctx: CliContext, projectId: string) {
    this.#ctx = ctx;
    this.projectId = projectId;
    this.#streaming = ctx.output.interactive;
    this.stopRequested = new Promise((resolve) => (this.#resolveStop = resolve));
    process.on('SIGINT', this.#onSigint);
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Stops the run: a model call in flight is cancelled (its answer would be kept anyway). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#resolveStop();
    this.#ctx.call('interview.cancel', { projectId: this.projectId }).catch(() => undefined);
  }

  dispose(): void {
    process.off('SIGINT', this.#onSigint);
  }

  state(): Promise<InterviewState> {
    return this.#ctx.call('interview.get', { projectId: this.projectId });
  }

  /**
   * The question to answer now (the pending one, or a new one from the model), or the finished
   * state; undefined when the user stopped the run meanwhile.
   */
  async next(): Promise<InterviewState | undefined> {
    if (this.#stopped) return undefined;
    const detach = this.#streaming
      ? this.#ctx.core().bus.subscribe((event, payload) => {
          if (event === 'interview.event') this.#stream(payload as InterviewEvent);
        })
      : () => undefined;
    this.#status('');
    try {
      const state = await this.#ctx.call('interview.next', { projectId: this.projectId });
      return this.#stopped ? undefined : state;
    } catch (error) {
      if (this.#stopped) return undefined;
      if (error instanceof AppError && error.code !== 'INTERNAL') {
        throw new AppError(error.code, `${error.message} (the answers so far are saved: run the same command to try again)`, { retryable: error.retryable });
      }
      throw error;
    } finally {
      detach();
      this.#clearStatus();
    }
  }

  /** Shows a question: in full (interactive), or as one line (answers from a file). */
  showQuestion(turn: TurnView, full: boolean): void {
    this.#ctx.output.event('question', { turn });
    if (this.#ctx.output.json) return;
    if (!full) {
      this.#say(`Step ${turn.step} of ${turn.totalSteps} · ${turn.fieldLabel}: ${turn.question}`);
      return;
    }
    const lines = [``, `Step ${turn.step} of ${turn.totalSteps} · ${turn.fieldLabel}`, turn.question];
    if (turn.explanation !== '') lines.push(turn.explanation);
    turn.options.forEach((option, index) => lines.push(`  ${index + 1}. ${option.label}${option.hint ? ` (${option.hint})` : ''}`));
    lines.push(
      turn.options.length === 0
        ? 'Type your answer (:q saves and quits).'
        : turn.questionType === 'single'
          ? 'Type a number or your own answer (:q saves and quits).'
          : 'Type numbers (e.g. 1,3), your own words, or both (1,3 also backups); :q saves and quits.',
    );
    this.#say(lines.join('\n'));
  }

  async answer(turn: TurnView, answer: Answer): Promise<AnswerOutcome> {
    const state = await this.#ctx.call('interview.answer', { projectId: this.projectId, turnId: turn.id, answer });
    const stored = state.turns.find((candidate) => candidate.id === turn.id);
    const status = stored?.status ?? 'answered';
    const outcome = stored?.outcome ?? '';
    this.#ctx.output.event('answer', { turnId: turn.id, field: turn.field, status, outcome });
    this.#say(status === 'vague' ? `  needs more detail: ${outcome}` : `  → ${outcome}`);
    return { state, status, outcome };
  }

  /** The interview has nothing left to ask: the spec, and whether it is complete. */
  finished(state: InterviewState): void {
    const text = ['', 'Interview complete.', ...describeSpec(state.spec).map((line) => `  ${line}`), describeCheck(state.check)].join('\n');
    this.#ctx.output.result('result', { done: state.done, progress: state.progress, spec: state.spec, check: state.check }, text);
  }

  /** Stopped before the end (`:q`, end of input, Ctrl+C): where the next run picks up. */
  saved(state: InterviewState): void {
    const { step, totalSteps } = state.progress;
    this.#ctx.output.result(
      'result',
      { done: state.done, saved: true, progress: state.progress, spec: state.spec, check: state.check },
      `Saved at step ${step} of ${totalSteps}; run the same command to go on.`,
    );
  }

  /** Tells people that the last run's model call failed (this run tries again). */
  noticeLastError(state: InterviewState): void {
    if (state.lastError && !state.pending && !state.done) {
      this.#ctx.output.notice(`The last try to get a question failed (${state.lastError.code}: ${state.lastError.message}); asking again.`);
    }
  }

  #stream(event: InterviewEvent): void {
    if (event.projectId !== this.projectId) return;
    if (event.kind === 'explanation') {
      this.#status(event.text);
    } else if (event.kind === 'restart') {
      this.#clearStatus();
      this.#ctx.output.notice(`[the model starts over: ${event.reason}]`);
      this.#status('');
    }
  }

  /**
   * One line, redrawn in place: what the model is doing and the latest words it wrote (model
   * text, so escaped and on one line), cut to the terminal's width so it never wraps.
   */
  #status(explanation: string): void {
    if (!this.#streaming) return;
    const stderr = rawStreams(this.#ctx.io).stderr as { columns?: number; write: (text: string) => boolean };
    const width = Math.max(20, (stderr.columns ?? 80) - 1);
    const lead = 'Writing the next question… ';
    const words = safeTerminalText(explanation.replace(/\s+/g, ' ').trim());
    const room = width - lead.length;
    const tail = words.length > room ? `…${words.slice(words.length - room + 1)}` : words;
    stderr.write(`${clearLine}${lead}${tail}`);
    this.#statusShown = true;
  }

  #clearStatus(): void {
    if (!this.#statusShown) return;
    rawStreams(this.#ctx.io).stderr.write(clearLine);
    this.#statusShown = false;
  }

  #say(text: string): void {
    if (!this.#ctx.output.json) this.#ctx.io.stdout.write(`${text}\n`);
  }
}
