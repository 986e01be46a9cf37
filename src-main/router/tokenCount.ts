/**
 * A token count as a provider reported it, when it is one: a whole number from 0 up to 2^53.
 * Anything else (12.5, -3, 1e300, NaN, a string a server slipped in) is unknown: the call then
 * counts as its estimate and costs what its reservation assumed, and the attempt is still recorded
 * (SQLite refused a fraction in an INTEGER column, which lost the answer).
 */
export function tokenCount(reported: unknown): number | undefined {
  return typeof reported === 'number' && Number.isSafeInteger(reported) && reported >= 0 ? reported : undefined;
}
