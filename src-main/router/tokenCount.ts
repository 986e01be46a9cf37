/**
 * No call reads or writes this many tokens (the largest context windows hold about 10 million):
 * a count past it is a server's mistake, which priced would charge a budget thousands of dollars.
 */
const mostTokensInOneCall = 100_000_000;

/**
 * A token count as a provider reported it, when it is one: a whole number from 0 up to 100 million.
 * Anything else (12.5, -3, 1e300, 2^53 - 1, NaN, a string a server slipped in) is unknown: the call then
 * counts as its estimate and costs what its reservation assumed, and the attempt is still recorded
 * (SQLite refused a fraction in an INTEGER column, which lost the answer).
 */
export function tokenCount(reported: unknown): number | undefined {
  return typeof reported === 'number' && Number.isSafeInteger(reported) && reported >= 0 && reported <= mostTokensInOneCall ? reported : undefined;
}
