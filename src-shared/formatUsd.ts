/**
 * US dollars as people read them: cents for a dollar or more ($12.50), four decimals below a
 * dollar ($0.0123), "less than $0.0001" for a tiny cost, "$0" for none.
 */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  const sign = usd < 0 ? '-' : '';
  const abs = Math.abs(usd);
  if (abs >= 1) return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (abs < 0.0001) return `${sign}less than $0.0001`;
  return `${sign}$${abs.toFixed(4)}`;
}
