import { describe, expect, it } from 'vitest';
import { providersOneLine } from '../../../src-main/cli/commands/providersOneLine.ts';

describe('providersOneLine', () => {
  it('shows every kind of line break as its escape and leaves other text as it is', () => {
    expect(providersOneLine('a\nb\rc\u0085d\u2028e\u2029f\tg · ü')).toBe('a\\nb\\rc\\u0085d\\u2028e\\u2029f\tg · ü');
  });
});
