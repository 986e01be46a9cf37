import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { requestId } from '../../../src-main/router/requestId.ts';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const timeOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
/** A time past every id made so far in this file (ids never go back in time, so each test starts later). */
const later = () => timeOf(requestId(0)) + 1_000;

describe('requestId', () => {
  it('is a version 7 UUID carrying the time in milliseconds', () => {
    const at = later();
    const id = requestId(at);
    expect(id).toMatch(uuidV7);
    expect(timeOf(id)).toBe(at);
  });

  it('never repeats and always grows: many in one millisecond, past 4,096 of them, and with the clock set back', () => {
    const at = later();
    const ids = [
      ...Array.from({ length: 5_000 }, () => requestId(at)), // more than the 12-bit counter holds
      ...Array.from({ length: 10 }, () => requestId(at - 60_000)), // the clock set back a minute
      ...Array.from({ length: 10 }, (_, n) => requestId(at + 10 + n)),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(uuidV7);
    expect([...ids].sort()).toEqual(ids);
    // The time carried on past the counter's end instead of going back or repeating.
    expect(timeOf(ids[4_999] as string)).toBe(at + 1);
  });

  it('differs between processes made in the same millisecond', () => {
    const script = "import { requestId } from './src-main/router/requestId.ts'; process.stdout.write(requestId(1_900_000_000_000));";
    const run = () => spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).stdout;
    const [a, b] = [run(), run()];
    expect(a).toMatch(uuidV7);
    expect(b).toMatch(uuidV7);
    expect(a).not.toBe(b);
  });
});
