/** A context window a server or a model file states, when it is one: a whole number of tokens above 0 (never 0, 12.5, -1, NaN or 1e300). */
export function isContextWindow(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
