/**
 * US dollars with 4 decimals and thousands grouped ("$1,234.5000"), "$0" for nothing (a local
 * model), "less than $0.0001" for a cost that 4 decimals would show as none; a dash when unknown.
 */
export function formatCost(usd: number | undefined): string {
  if (usd === undefined) return '—';
  if (usd === 0) return '$0';
  if (Math.abs(usd) < 0.00005) return 'less than $0.0001';
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 })}`;
}

export function formatCount(value: number | undefined): string {
  return value === undefined ? '—' : value.toLocaleString();
}

/** "850 ms" below a second, else "1.2 s"; a dash when unknown. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
