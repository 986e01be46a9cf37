import { describe, expect, it } from 'vitest';
import { parseWholeNumber } from '../../../src-shared/parseWholeNumber.ts';
import { checkWholeNumber } from '../../../src-renderer/ui/checkWholeNumber.ts';

describe('parseWholeNumber (CLI options and form fields alike)', () => {
  it('takes digits within the bounds, spaces around them allowed', () => {
    expect(parseWholeNumber('1', 1, 16)).toBe(1);
    expect(parseWholeNumber(' 16 ', 1, 16)).toBe(16);
    expect(parseWholeNumber('007', 1, 16)).toBe(7);
  });

  it('refuses what only JavaScript reads as a number, and what is out of bounds', () => {
    for (const text of ['', ' ', '0', '17', '2.5', '-1', '+3', '1e1', '0x10', 'four', 'Infinity', '9'.repeat(20)]) {
      expect(parseWholeNumber(text, 1, 16), text).toBeUndefined();
    }
  });

  it('gives a form field the problem in words, naming the field', () => {
    expect(checkWholeNumber('1e1', { min: 1, max: 16, label: 'Files at once' })).toEqual({ ok: false, problem: 'Files at once must be a whole number from 1 to 16, not "1e1"' });
    expect(checkWholeNumber('4', { min: 1, max: 16, label: 'Files at once' })).toEqual({ ok: true, value: 4 });
  });
});
