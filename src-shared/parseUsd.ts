/**
 * A dollar amount as people type it ("5", "12.50", "$1,200", ".5"); null when it is not one.
 * Only plain decimals with at most four places: never hexadecimal, binary, octal or an exponent
 * (`Number` reads "0x10" as 16 and "1e-400" as 0), never a sign, never thousands grouped after a
 * leading zero ("0,500" is a decimal comma, not $500). The budget form and
 * `service-creator budget set` read amounts with it.
 */
export function parseUsd(text: string): number | null {
  const plain = text.trim().replace(/^\$\s*/, '');
  if (!/^(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)?(?:\.\d{1,4})?$/.test(plain) || plain === '' || plain === '.') return null;
  const value = Number(plain.replaceAll(',', ''));
  return Number.isFinite(value) ? value : null;
}
