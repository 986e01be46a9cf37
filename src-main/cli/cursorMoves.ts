/**
 * Whether the terminal acts on cursor movements and line clears (progress bars, an answer taken
 * back): not with `TERM=dumb` (Emacs' shell, some CI logs and editors' consoles), which shows
 * each escape sequence as characters. There the CLI prints plain lines only.
 */
export function cursorMoves(env: NodeJS.ProcessEnv): boolean {
  return env.TERM !== 'dumb';
}
