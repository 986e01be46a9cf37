/** US dollars per million tokens: at least 2 decimals, up to 4 ("$2.50", "$0.075", "$1,000.00"). */
export function formatPrice(usdPerMillion: number): string {
  return `$${usdPerMillion.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
}

/**
 * The price an input holds as people type it ("2.5", "$2.50", "1,000", ".075"), or null when it is
 * empty or not a plain decimal. Never hexadecimal, binary, octal or an exponent: `Number` read
 * "0x10" as 16 and "1e-9" as a price shown as $0.00. A sign passes, so that the core's range
 * check says in words that a price is at least 0.
 */
export function parsePrice(text: string): number | null {
  const plain = text.trim().replace(/^(-?)\$\s*/, '$1');
  if (!/^-?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$/.test(plain) || !/\d/.test(plain)) return null;
  const value = Number(plain.replaceAll(',', ''));
  return Number.isFinite(value) ? value : null;
}

export const priceMissing = 'Type both prices in US dollars per million tokens, e.g. 2.5 and 10.';
