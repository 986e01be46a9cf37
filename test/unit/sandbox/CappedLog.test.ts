import { describe, expect, it } from 'vitest';
import { CappedLog } from '../../../src-main/sandbox/CappedLog.ts';

describe('CappedLog', () => {
  it('keeps everything under the limit, interleaved as written, and passes it on live', () => {
    const live: [string, string][] = [];
    const log = new CappedLog(100, (stream, text) => live.push([stream, text]));
    log.write('stdout', 'one\n');
    log.write('stderr', Buffer.from('two\n'));
    log.write('stdout', '');
    expect(log.text).toBe('one\ntwo\n');
    expect(log.truncated).toBe(false);
    expect(live).toEqual([
      ['stdout', 'one\n'],
      ['stderr', 'two\n'],
    ]);
  });

  it('cuts at the byte limit with a line that says where, then counts what it drops', () => {
    const live: string[] = [];
    const log = new CappedLog(10, (_stream, text) => live.push(text));
    log.write('stdout', '12345');
    log.write('stdout', '67890abc');
    log.write('stderr', 'more output');
    expect(log.truncated).toBe(true);
    expect(log.droppedBytes).toBe(14);
    expect(log.text).toBe(
      '1234567890\n[service-creator] log cut here, after 10 bytes (the limit is 10 bytes of stdout+stderr); later output is dropped\n[service-creator] 14 more bytes of output were dropped\n',
    );
    // Live viewers get the kept text and the cut line, never the flood.
    expect(live.join('')).toBe('1234567890\n[service-creator] log cut here, after 10 bytes (the limit is 10 bytes of stdout+stderr); later output is dropped\n');
  });

  it('adds no extra newline when the cut falls at the end of a line', () => {
    const log = new CappedLog(4);
    log.write('stdout', 'abc\nrest');
    expect(log.text.startsWith('abc\n[service-creator] log cut here, after 4 bytes')).toBe(true);
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const log = new CappedLog(100);
    const euro = Buffer.from('€ok', 'utf8');
    log.write('stdout', euro.subarray(0, 1));
    log.write('stdout', euro.subarray(1));
    expect(log.text).toBe('€ok');
  });

  it('drops a character the cut would split instead of keeping half of it', () => {
    const log = new CappedLog(4);
    log.write('stdout', 'ab€');
    expect(log.text.split('\n')[0]).toBe('ab');
    expect(log.text).not.toContain('\uFFFD');
  });

  it('decodes each stream separately, so interleaved partial characters stay intact', () => {
    const log = new CappedLog(100);
    const e = Buffer.from('é');
    log.write('stdout', e.subarray(0, 1));
    log.write('stderr', 'x');
    log.write('stdout', e.subarray(1));
    expect(log.text).toBe('xé');
  });

  it('with a limit of 0 keeps nothing but the cut line', () => {
    const log = new CappedLog(0);
    log.write('stdout', 'hello');
    expect(log.text).toBe('[service-creator] log cut here, after 0 bytes (the limit is 0 bytes of stdout+stderr); later output is dropped\n[service-creator] 5 more bytes of output were dropped\n');
  });

  it('refuses a limit that is not a whole number', () => {
    expect(() => new CappedLog(-1)).toThrow('limitBytes must be a whole number ≥ 0, got -1');
    expect(() => new CappedLog(1.5)).toThrow(RangeError);
  });
});
