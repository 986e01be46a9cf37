const mib = 1024 * 1024;
const gib = 1024 * mib;

/** A size in MiB below 1 GiB, else GiB, with one decimal (two below 10 GiB). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes >= gib) return `${(bytes / gib).toFixed(bytes >= 10 * gib ? 1 : 2)} GiB`;
  return `${(bytes / mib).toFixed(1)} MiB`;
}

/** Whole MiB, for download progress ("512 MiB"). */
export function formatMib(bytes: number): string {
  return `${Math.floor(bytes / mib).toLocaleString()} MiB`;
}
