/**
 * What a terminal would act on rather than show: C0 controls but newline and tab (ESC starts
 * CSI/OSC/DCS sequences that clear the screen, set the window title, or write to the clipboard;
 * BEL, backspace and a lone carriage return overwrite what is on screen), DEL, the C1 controls
 * (U+009B is CSI on terminals that read 8-bit controls), and the Unicode direction overrides
 * and isolates that make text read differently from what it holds. `\r\n` is a line end.
 */
const unsafe = /\r\n|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Untrusted text (paths, model output, server messages, test logs) made safe to print on a
 * terminal: each control character becomes a visible escape (`ESC` → `\u001b`, a lone CR →
 * `\r`), so nothing in it moves the cursor, clears the screen or retitles the window, and the
 * user still sees that it was there. `\r\n` becomes `\n`. The escapes are JSON's own, so a JSON
 * line passed through here still parses to the same values.
 */
export function safeTerminalText(text: string): string {
  return text.replace(unsafe, (found) => {
    if (found === '\r\n') return '\n';
    if (found === '\r') return '\\r';
    return `\\u${found.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
