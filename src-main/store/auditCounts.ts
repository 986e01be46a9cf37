/** What the privacy guard took out, by kind, as the audit trail stores it: keys in order, so a row's hash is its content's. */
export function canonicalCounts(counts: Record<string, number>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))));
}

/** The stored counts as counts; text that is not what the app writes (an edited row: verify names it) reads as none. */
export function parseCounts(text: string): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((pair): pair is [string, number] => Number.isInteger(pair[1])));
  } catch {
    return {};
  }
}
