import { parseWholeNumber } from '../../src-shared/parseWholeNumber.ts';

/** A field's bounds and the name its problem uses ("Timeout must be ..."). */
export interface WholeNumberBounds {
  min: number;
  max: number;
  label: string;
}

/** A whole number typed in a field, within bounds, or why it cannot be used. */
export function checkWholeNumber(text: string, { min, max, label }: WholeNumberBounds): { ok: true; value: number } | { ok: false; problem: string } {
  const value = parseWholeNumber(text, min, max);
  return value === undefined ? { ok: false, problem: `${label} must be a whole number from ${min} to ${max}, not "${text}"` } : { ok: true, value };
}
