export const minConcurrency = 1;
export const maxConcurrency = 16;

/** The concurrency as typed, or why it cannot be used. */
export function parseConcurrency(text: string): { ok: true; value: number } | { ok: false; problem: string } {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < minConcurrency || value > maxConcurrency) {
    return { ok: false, problem: `Files at once must be a whole number from ${minConcurrency} to ${maxConcurrency}, not "${text}"` };
  }
  return { ok: true, value };
}
