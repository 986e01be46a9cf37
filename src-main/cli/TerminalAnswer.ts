import type { CliStream } from './CliIo.ts';
import { safeTerminalText } from './safeTerminalText.ts';

/**
 * An answer streamed onto a terminal that can be taken back: when the attempt that streamed it
 * fails and the router starts the answer over, `erase` moves the cursor back to where the answer
 * began and clears the screen below, so the terminal shows the final answer once instead of a
 * fragment followed by the whole text. The rows are counted as the terminal lays the text out
 * (its width in columns, tabs, wide characters, wrapping); a part that has scrolled off the top
 * cannot be taken back, which `erase` reports so the caller can mark where the new answer starts.
 */
export class TerminalAnswer {
  readonly #out: CliStream;
  readonly #raw: CliStream & { columns?: number; rows?: number };
  readonly #cursorMoves: boolean;
  #shown = '';

  /** `out` prints untrusted text safely; `raw` takes the cursor movements, unless the terminal shows them as text (`cursorMoves` false: TERM=dumb). */
  constructor(out: CliStream, raw: CliStream & { columns?: number; rows?: number }, options: { cursorMoves?: boolean } = {}) {
    this.#out = out;
    this.#raw = raw;
    this.#cursorMoves = options.cursorMoves ?? true;
  }

  write(text: string): void {
    this.#out.write(text);
    this.#shown += safeTerminalText(text);
  }

  /** Ends the line the answer stopped on (a stopped call), so what is printed next starts on its own line. */
  endLine(): void {
    if (this.#shown !== '' && !this.#shown.endsWith('\n')) this.#out.write('\n');
    this.#shown = '';
  }

  /**
   * Clears what was shown. Returns false when some of it could not be cleared (scrolled off the
   * screen, the terminal's width is unknown, or it cannot move the cursor): the caller then marks
   * the restart in words.
   */
  erase(): boolean {
    const shown = this.#shown;
    this.#shown = '';
    if (shown === '') return true;
    const columns = this.#raw.columns ?? 0;
    if (columns <= 0 || !this.#cursorMoves) {
      this.#raw.write('\n');
      return false;
    }
    const up = cursorRow(shown, columns);
    const screenRows = this.#raw.rows ?? 0;
    const reachable = screenRows > 0 ? Math.min(up, screenRows - 1) : up;
    this.#raw.write(`\r${reachable > 0 ? `\u001b[${reachable}A` : ''}\u001b[J`);
    return reachable === up;
  }
}

/** The row (0 = the first) the cursor is on after `text` is printed from column 0 of a terminal `columns` wide. */
export function cursorRow(text: string, columns: number): number {
  let row = 0;
  // May equal `columns`: the cursor waits in the last column until the next character wraps it.
  let column = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (segment === '\n') {
      row += 1;
      column = 0;
      continue;
    }
    if (segment === '\t') {
      column = Math.min(columns - 1, (Math.floor(column / 8) + 1) * 8);
      continue;
    }
    const width = graphemeWidth(segment);
    if (width === 0) continue;
    if (column + width > columns) {
      row += 1;
      column = 0;
    }
    column += width;
  }
  return row;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const zeroWidth = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;
const emoji = /\p{Extended_Pictographic}/u;

/** Columns one grapheme takes: 2 for East Asian wide and full-width characters and emoji, 0 for marks. */
function graphemeWidth(segment: string): number {
  if (zeroWidth.test(segment)) return 0;
  if (emoji.test(segment) && (segment.includes('\uFE0F') || (segment.codePointAt(0) ?? 0) >= 0x1f000)) return 2;
  const code = segment.codePointAt(0) ?? 0;
  return isWide(code) ? 2 : 1;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}
