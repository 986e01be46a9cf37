/**
 * A provider's text (a model name, a label, a server's message) kept on its own line in the
 * `providers` commands' output: a line break in it is shown as `\n` (`\u2028` and the like as
 * their escapes), so a model name such as "m\n  2. evil/model" cannot print what looks like
 * another target or another provider. The terminal-safe output escapes the other controls.
 */
export function providersOneLine(text: string): string {
  return text.replace(/[\r\n\u0085\u2028\u2029]/g, (char) => (char === '\n' ? '\\n' : char === '\r' ? '\\r' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
