/**
 * What JSON leaves raw in a string and a terminal (or a log viewer) acts on: DEL and the C1
 * controls (U+009B is CSI on terminals that read 8-bit controls, U+0085 a line end), the Unicode
 * direction marks, overrides and isolates that make a line read differently from what it holds,
 * and the line and paragraph separators that some viewers break lines at. The same characters
 * `src-main/cli/safeTerminalText.ts` shows escaped, less the C0 controls, which JSON escapes already.
 */
const rawInJson = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A serialised JSON value with those characters written as JSON's own escapes (`\u202e`): the
 * value a program reads back is the same, and `cat` or `tail -f` of the file shows the escape
 * instead of acting on it. Outside strings JSON holds only ASCII, so every match is in a string.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(rawInJson, (found) => `\\u${found.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
