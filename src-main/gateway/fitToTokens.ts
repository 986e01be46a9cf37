/**
 * The longest prefix of `text` (found in a few shrinking steps, never more than needed) whose
 * token count by `count` is at most `budget`; '' when not even a useful start fits. Used to echo
 * an answer back in a repair prompt without overflowing the target's context window.
 */
export function fitToTokens(text: string, budget: number, count: (text: string) => number): string {
  /** Less than this is not worth showing: the repair names the problem without the echo. */
  const minUsefulTokens = 64;
  if (budget < minUsefulTokens || text === '') return '';
  let candidate = text;
  for (let step = 0; step < 8; step += 1) {
    const tokens = count(candidate);
    if (tokens <= budget) return candidate;
    // Shrink in proportion, 10% further, so most texts fit on the next count.
    const chars = Math.floor((candidate.length * budget * 0.9) / tokens);
    if (chars < minUsefulTokens) return '';
    candidate = candidate.slice(0, chars);
  }
  return '';
}
