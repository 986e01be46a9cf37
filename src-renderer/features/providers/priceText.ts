/** US dollars per million tokens: at least 2 decimals, up to 4 ("$2.50", "$0.075", "$1,000.00"). */
export function formatPrice(usdPerMillion: number): string {
  return `$${usdPerMillion.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
}

/** The number an input holds, or null when it is empty or not a number. The core checks the range. */
export function parsePrice(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

export const priceMissing = 'Type both prices in US dollars per million tokens, e.g. 2.5 and 10.';
