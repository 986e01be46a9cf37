/** US dollars with 4 decimals, "$0" for nothing (a local model); a dash when unknown. */
export function formatCost(usd: number | undefined): string {
  if (usd === undefined) return '—';
  return usd === 0 ? '$0' : `$${usd.toFixed(4)}`;
}

export function formatCount(value: number | undefined): string {
  return value === undefined ? '—' : value.toLocaleString();
}

/** "850 ms" below a second, else "1.2 s"; a dash when unknown. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
