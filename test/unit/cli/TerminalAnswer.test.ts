import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TerminalAnswer, cursorRow } from '../../../src-main/cli/TerminalAnswer.ts';
import { terminalScreen } from '../../support/terminalScreen.ts';

/** A stream that records what was written, with a terminal's size. */
function terminal(columns: number | undefined, rows: number | undefined) {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns, rows, written: '' });
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string) => {
    stream.written += chunk;
    return write(chunk);
  }) as typeof stream.write;
  return stream;
}

describe('cursorRow: where the cursor is after text, as a terminal wraps it', () => {
  it.each([
    ['', 10, 0],
    ['abc', 10, 0],
    ['0123456789', 10, 0], // the last column: the cursor waits there until the next character
    ['0123456789x', 10, 1],
    ['a\nb\n', 10, 2],
    ['0123456789\nx', 10, 1],
    ['\t\t\tx', 10, 0], // tabs stop at the last column, where the x goes
    ['\t\t\txy', 10, 1],
    ['漢字漢字漢', 10, 0], // five wide characters fill ten columns
    ['漢字漢字漢字', 10, 1],
    ['e\u0301e\u0301', 2, 0], // combining accents take no column
  ])('%j at %i columns ends on row %i', (text, columns, row) => {
    expect(cursorRow(text, columns)).toBe(row);
  });
});

describe('TerminalAnswer.erase', () => {
  it('takes back several wrapped rows, leaving the screen as before the answer', () => {
    const out = terminal(12, 24);
    out.written = 'prompt$\n';
    const answer = new TerminalAnswer(out, out);
    answer.write('a fragment that wraps\nover lines');
    expect(answer.erase()).toBe(true);
    answer.write('final');
    expect(terminalScreen(out.written.replace(/\n/g, '\r\n'), 12)).toBe('prompt$\nfinal');
  });

  it('says when part of the fragment has scrolled off the screen', () => {
    const out = terminal(10, 3);
    const answer = new TerminalAnswer(out, out);
    answer.write('1\n2\n3\n4\n5');
    expect(answer.erase()).toBe(false);
    expect(out.written.endsWith('\r\u001b[2A\u001b[J')).toBe(true);
  });

  it('without a known width starts a fresh line instead', () => {
    const out = terminal(undefined, undefined);
    const answer = new TerminalAnswer(out, out);
    answer.write('part');
    expect(answer.erase()).toBe(false);
    expect(out.written).toBe('part\n');
  });

  it('counts what a terminal-safe stream shows (an escape printed as text takes columns)', () => {
    const out = terminal(10, 24);
    const answer = new TerminalAnswer(out, out);
    answer.write('ab\u001b[2Jcd'); // shown as ab\u001b[2Jcd: 14 columns, two rows
    answer.erase();
    expect(out.written.endsWith('\r\u001b[1A\u001b[J')).toBe(true);
  });
});

describe('TerminalAnswer on a terminal that cannot move the cursor (TERM=dumb)', () => {
  it('erases nothing: a line break, no escape sequence, and says it could not', () => {
    const out = terminal(30, 24);
    const answer = new TerminalAnswer(out, out, { cursorMoves: false });
    answer.write('a fragment');
    expect(answer.erase()).toBe(false);
    expect(out.written).toBe('a fragment\n');
  });
});
