import { createInterface, type Interface } from 'node:readline/promises';
import { AppError } from '../../../src-shared/AppError.ts';
import type { CliIo } from '../CliIo.ts';
import { rawStreams } from '../terminalSafeIo.ts';

/**
 * Questions on the terminal, one line per answer, for `setup`: on a terminal with line editing
 * (the prompt on stderr, so stdout stays the command's output), from a pipe one line each. The
 * end of input (Ctrl+D, a closed pipe) or Ctrl+C cancels: nothing more is asked.
 */
export class LinePrompt {
  readonly #io: CliIo;
  readonly #terminal: boolean;
  readonly #rl: Interface;
  readonly #lines: AsyncIterator<string>;

  constructor(io: CliIo) {
    this.#io = io;
    this.#terminal = io.stdin.isTTY === true;
    this.#rl = createInterface({ input: io.stdin, ...(this.#terminal ? { output: rawStreams(io).stderr, terminal: true } : { terminal: false }) });
    this.#rl.on('SIGINT', () => this.#rl.close());
    this.#lines = this.#rl[Symbol.asyncIterator]();
  }

  /** Writes the question and reads one line (trimmed). */
  async line(question: string): Promise<string> {
    this.#io.stderr.write(question);
    const next = await this.#lines.next().catch(() => ({ done: true as const, value: undefined }));
    if (next.done) {
      if (this.#terminal) this.#io.stderr.write('\n');
      throw new AppError('CANCELLED', 'Setup was cancelled: nothing more was changed');
    }
    if (!this.#terminal) this.#io.stderr.write('\n');
    return String(next.value).trim();
  }

  /**
   * A numbered choice (1-based); Enter takes `defaultIndex`. Asks again, saying why, until the
   * answer is one of the numbers.
   */
  async choose(question: string, options: readonly string[], defaultIndex = 0): Promise<number> {
    const list = options.map((option, index) => `  ${index + 1}. ${option}`).join('\n');
    this.#io.stderr.write(`${question}\n${list}\n`);
    for (;;) {
      const answer = await this.line(`Choose 1-${options.length} [${defaultIndex + 1}]: `);
      if (answer === '') return defaultIndex;
      const picked = Number(answer);
      if (Number.isInteger(picked) && picked >= 1 && picked <= options.length) return picked - 1;
      this.#io.stderr.write(`"${answer.slice(0, 40)}" is not one of 1-${options.length}.\n`);
    }
  }

  close(): void {
    this.#rl.close();
  }
}
