import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { safeTerminalText } from '../../../src-main/cli/safeTerminalText.ts';
import { rawStreams, terminalSafeIo } from '../../../src-main/cli/terminalSafeIo.ts';
import { createBufferIo } from '../../support/bufferIo.ts';

const attack = 'plan/\u001b[2J\u001b]0;TITLE\u0007x.py';

describe('safeTerminalText', () => {
  it('turns escape sequences into visible text: nothing is left for the terminal to act on', () => {
    const safe = safeTerminalText(attack);
    expect(safe).toBe('plan/\\u001b[2J\\u001b]0;TITLE\\u0007x.py');
    expect(safe).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('escapes C1 controls, DEL, backspace, a lone CR and direction overrides; keeps newline, tab and CRLF as a line end', () => {
    expect(safeTerminalText('a\u009b2Jb')).toBe('a\\u009b2Jb');
    expect(safeTerminalText('x\u007f\by')).toBe('x\\u007f\\u0008y');
    expect(safeTerminalText('100%\rdone')).toBe('100%\\rdone');
    expect(safeTerminalText('evil\u202eexe.txt \u2066x\u2069')).toBe('evil\\u202eexe.txt \\u2066x\\u2069');
    expect(safeTerminalText('one\ttwo\nthree\r\nfour')).toBe('one\ttwo\nthree\nfour');
    expect(safeTerminalText('plain ünïcode ✓ 日本')).toBe('plain ünïcode ✓ 日本');
  });

  it('leaves a JSON line valid and equal in value', () => {
    const value = { name: 'a\u009b\u202e\u007fb', path: attack };
    const line = safeTerminalText(JSON.stringify(value));
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(line)).toEqual(value);
  });
});

describe('terminalSafeIo', () => {
  it('escapes every write to stdout and stderr, also an escape split across writes and bytes; raw stays raw', () => {
    const buffers = createBufferIo();
    const io = terminalSafeIo(buffers.io);
    io.stdout.write('\u001b');
    io.stdout.write('[2J line\r');
    io.stdout.write('\nnext\r');
    io.stdout.write('over');
    io.stderr.write(Buffer.from('\u009b\u001b]0;T\u0007'));
    rawStreams(io).stderr.write('\u001b[?25l');
    expect(buffers.stdout()).toBe('\\u001b[2J line\nnext\\rover');
    expect(buffers.stderr()).toBe('\\u009b\\u001b]0;T\\u0007\u001b[?25l');
  });

  it('keeps the stream’s own properties (isTTY) and wraps only once', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true });
    const io = terminalSafeIo({ ...createBufferIo().io, stdout: stream });
    expect(io.stdout.isTTY).toBe(true);
    expect(terminalSafeIo(io)).toBe(io);
    expect(rawStreams(io).stdout).toBe(stream);
  });
});
