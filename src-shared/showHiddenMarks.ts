/**
 * Control characters but tab, CR and LF, DEL, the C1 controls, and the Unicode direction marks,
 * overrides and isolates: what `src-main/cli/safeTerminalText.ts` shows escaped.
 */
const hiddenMarks = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from elsewhere (a server's model name) with its hidden marks written as visible escapes
 * (`\u202e`), so a name that reads differently from what it holds ("photo\u202egnp.exe" showing
 * as "photoexe.png", and the text beside it turned round) is shown as it is: in a CSV cell, and
 * on the page as the terminal shows it.
 */
export function showHiddenMarks(text: string): string {
  return text.replace(hiddenMarks, (found) => `\\u${found.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
