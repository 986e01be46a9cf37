import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../src-main/router/isoTime.ts';

describe('isoTime', () => {
  it('writes what Date.toISOString writes, across days, years, leap days and the edges of a day', () => {
    const samples = [
      0, 1, 999, 1_000, 59_999, 60_000, 3_599_999, 3_600_000, 86_399_999, 86_400_000,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(2026, 11, 31, 23, 59, 59, 5), Date.UTC(2027, 0, 1, 0, 0, 0, 50),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999), -1, -86_400_001, 253_402_300_800_000, 1.5,
    ];
    let seed = 42;
    for (let i = 0; i < 2_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      samples.push(Date.UTC(1970 + (seed % 100), 0, 1) + (seed % 1_000) * 86_400_000 + ((seed * 7) % 86_400_000));
    }
    // In order and out of order: the day it keeps must never leak into another day.
    for (const ms of [...samples, ...samples.reverse()]) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('gives the same answer twice within a day (the cached day)', () => {
    const now = Date.now();
    expect(isoTime(now)).toBe(new Date(now).toISOString());
    expect(isoTime(now + 1)).toBe(new Date(now + 1).toISOString());
  });
});
