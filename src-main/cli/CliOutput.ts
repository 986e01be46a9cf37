import type { CliIo } from './CliIo.ts';
import { clipLongValues } from './clipLongValues.ts';
import { cursorMoves } from './cursorMoves.ts';

/**
 * Everything a command prints goes through here: with `--json` one JSON object per line on
 * stdout (results, events and errors alike), otherwise text for people.
 */
export class CliOutput {
  readonly json: boolean;
  readonly #io: CliIo;

  constructor(io: CliIo, json: boolean) {
    this.#io = io;
    this.json = json;
  }

  /** People at a terminal that draws: progress bars and lines redrawn in place (never with TERM=dumb). */
  get interactive(): boolean {
    return !this.json && this.#io.stderr.isTTY === true && cursorMoves(this.#io.env);
  }

  /** The command's answer: `data` as a JSON line, or `text` for people. */
  result(type: string, data: Record<string, unknown>, text: string): void {
    if (this.json) this.#line({ type, ...data });
    else this.#io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Something that happened along the way (JSON lines only; people see the progress bar). */
  event(type: string, data: Record<string, unknown>): void {
    if (this.json) this.#line({ type, ...data });
  }

  /** An error line; a very long value quoted in it (a pasted file as an argument) is cut short. */
  error(code: string, message: string): void {
    const clipped = clipLongValues(message);
    if (this.json) this.#line({ type: 'error', error: { code, message: clipped } });
    else this.#io.stderr.write(`Error: ${clipped}\n`);
  }

  /** Free text for people on stderr (hints, notices); silent in JSON mode. */
  notice(text: string): void {
    if (!this.json) this.#io.stderr.write(`${text}\n`);
  }

  #line(value: Record<string, unknown>): void {
    this.#io.stdout.write(`${JSON.stringify(value)}\n`);
  }
}
