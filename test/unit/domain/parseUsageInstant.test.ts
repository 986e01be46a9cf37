import { describe, expect, it } from 'vitest';
import { localDateText, parseUsageInstant, usageRangeEnd } from '../../../src-shared/domain/usage.ts';

describe('parseUsageInstant', () => {
  // A date past its month's end is refused whether or not the time names a zone: JavaScript's
  // Date rolls 2026-02-31T00:00Z over to March 3 rather than refusing it.
  it.each(['2026-02-30', '2026-02-31T00:00', '2026-02-31T00:00Z', '2026-02-29T12:00:00+01:00', '2026-04-31T08:00-05:00', '2026-13-01T00:00Z'])('refuses the impossible %s', (text) => {
    expect(parseUsageInstant(text)).toBeUndefined();
  });

  it.each([
    ['2028-02-29T12:00Z', '2028-02-29T12:00:00.000Z'],
    ['2026-11-30T23:30-02:00', '2026-12-01T01:30:00.000Z'],
    ['2026-12-31T23:59:59.999Z', '2026-12-31T23:59:59.999Z'],
  ])('reads %s as the instant it names', (text, iso) => {
    expect(parseUsageInstant(text)?.toISOString()).toBe(iso);
  });

  // Date(year, …) reads the years 0 to 99 as 1900 to 1999: `--since 0001-01-01` ("since ever") was refused.
  it('reads a date of the years 0 to 99 as written, its day ending at its own next midnight', () => {
    const since = parseUsageInstant('0001-01-01');
    expect(since?.getFullYear()).toBe(1);
    expect(localDateText(since as Date)).toBe('0001-01-01');
    const end = usageRangeEnd('0050-02-28');
    expect([end?.getFullYear(), end?.getMonth(), end?.getDate(), end?.getHours()]).toEqual([50, 2, 1, 0]);
    expect(parseUsageInstant('0050-02-29')).toBeUndefined();
    expect(parseUsageInstant('0048-02-29')?.getDate()).toBe(29);
  });
});
