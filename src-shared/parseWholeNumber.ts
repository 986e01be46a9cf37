/**
 * A whole number typed by a person (a CLI option, a form field) within `min`..`max`, or
 * undefined: only digits, surrounding spaces allowed, so "1e1", "0x10", "2.5" and "-1" are refused
 * rather than read as numbers they do not look like.
 */
export function parseWholeNumber(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}
