/** The error an aborted signal carries, or a DOMException-like AbortError when it has none. */
export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}
