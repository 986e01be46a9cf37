import { Presets, SingleBar } from 'cli-progress';
import type { FileProblemView, PipelineEvent, RunView } from '../../../src-shared/pipeline/pipelineTypes.ts';
import type { CliContext } from '../CliContext.ts';
import { safeTerminalText } from '../safeTerminalText.ts';
import { rawStreams } from '../terminalSafeIo.ts';

/**
 * Shows a run's progress as it happens: with `--json` one line per event (`file-started`,
 * `file-done`, `validation`, `consistency`, `file-restart`; the streamed text is not printed),
 * a bar on an interactive terminal, else one line per finished file on stderr (logs stay short).
 */
export class GenerationProgress {
  readonly #ctx: CliContext;
  readonly #runId: string;
  readonly #total: number;
  #done: number;
  readonly #writing = new Set<string>();
  readonly #problems = new Map<string, readonly FileProblemView[]>();
  #bar: SingleBar | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(ctx: CliContext, run: RunView) {
    this.#ctx = ctx;
    this.#runId = run.id;
    this.#total = run.progress.total;
    this.#done = run.progress.done;
  }

  /** Call before the run starts: the first file can start while `pipeline.start` is answering. */
  start(): void {
    this.#unsubscribe = this.#ctx.core().bus.subscribe((name, payload) => {
      if (name !== 'pipeline.event') return;
      const event = payload as PipelineEvent;
      if (event.runId === this.#runId) this.#show(event);
    });
    if (this.#ctx.output.interactive) {
      this.#bar = new SingleBar(
        { format: 'Generating [{bar}] {value}/{total} files {label}', stream: rawStreams(this.#ctx.io).stderr, clearOnComplete: true, hideCursor: true },
        Presets.shades_classic,
      );
      this.#bar.start(this.#total, this.#done, { label: '' });
    }
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.hideBar();
  }

  /**
   * Clears the bar's line (and the terminal's "^C" echo on it) and draws no more bar: what is
   * printed next starts on a clean line. Files finishing later get one line each, as without a
   * terminal.
   */
  hideBar(): void {
    this.#bar?.stop();
    this.#bar = undefined;
  }

  #show(event: PipelineEvent): void {
    const { output } = this.#ctx;
    switch (event.kind) {
      case 'changed':
      case 'file-text':
        return;
      case 'file-started':
        this.#writing.add(event.path);
        output.event('file-started', { runId: event.runId, path: event.path });
        return this.#label();
      case 'file-restart':
        output.event('file-restart', { runId: event.runId, path: event.path });
        return;
      case 'validation':
        this.#problems.set(event.path, event.problems);
        output.event('validation', { runId: event.runId, path: event.path, problems: event.problems });
        return;
      case 'file-done': {
        this.#writing.delete(event.path);
        if (event.status === 'done') this.#done += 1;
        output.event('file-done', { runId: event.runId, path: event.path, status: event.status, done: this.#done, total: this.#total });
        if (this.#bar) {
          this.#bar.update(this.#done, { label: this.#labelText() });
          return;
        }
        const problem = this.#problems.get(event.path)?.[0];
        const why = event.status !== 'done' && problem ? `: ${problem.line !== undefined ? `line ${problem.line}: ` : ''}${problem.message}` : '';
        output.notice(`[${this.#done}/${this.#total}] ${event.path}${event.status === 'done' ? '' : ` ${event.status}${why}`}`);
        return;
      }
      case 'consistency': {
        output.event('consistency', { runId: event.runId, round: event.round, findings: event.findings });
        const text = `Cross-file check, round ${event.round}: ${event.findings === 0 ? 'no findings' : `${event.findings} finding${event.findings === 1 ? '' : 's'}`}`;
        if (this.#bar) this.#bar.update({ label: text });
        else output.notice(text);
        return;
      }
      default:
        return event satisfies never;
    }
  }

  #label(): void {
    this.#bar?.update({ label: this.#labelText() });
  }

  #labelText(): string {
    const writing = [...this.#writing];
    if (writing.length === 0) return '';
    // The bar writes raw (its own escapes): the paths come from the model.
    return safeTerminalText(writing.length === 1 ? (writing[0] ?? '') : `${writing[0] ?? ''} +${writing.length - 1}`);
  }
}
