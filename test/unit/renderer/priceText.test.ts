import { describe, expect, it } from 'vitest';
import { parsePrice } from '../../../src-renderer/features/providers/priceText.ts';

describe('parsePrice', () => {
  it('reads prices as people type them', () => {
    expect(parsePrice('2.5')).toBe(2.5);
    expect(parsePrice('  10 ')).toBe(10);
    expect(parsePrice('.075')).toBe(0.075);
    expect(parsePrice('$2.50')).toBe(2.5);
    expect(parsePrice('1,000')).toBe(1000);
    expect(parsePrice('0.00005')).toBe(0.00005);
  });

  it('lets a sign through, for the core to say a price is at least 0', () => {
    expect(parsePrice('-1')).toBe(-1);
  });

  it('refuses what is no plain decimal: hexadecimal, binary, octal, exponents, words, nothing', () => {
    for (const text of ['0x10', '0b11', '0o7', '1e9', '1e-9', '2E3', 'Infinity', 'NaN', 'abc', '', '   ', '.', '$', '-', '1,00', '1.2.3', '+-1', '2 5']) {
      expect(parsePrice(text), text).toBeNull();
    }
  });
});
