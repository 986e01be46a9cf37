/** One cell: text, a number, or nothing (an empty cell). */
export type CsvCell = string | number | null;

/**
 * A table as CSV (RFC 4180): fields joined by commas, records ended by CRLF, a field quoted
 * (its quotes doubled) when it holds a comma, a quote, a CR or an LF, and also a semicolon or a
 * tab: a spreadsheet in a locale whose list separator is ";" (or reading tabs) would otherwise
 * split the field there, and a formula inside it (`x;=HYPERLINK(…)`) would start a cell. Text that a spreadsheet
 * would run as a formula (starting with = + - @, or a tab, CR or NUL that hides one: OWASP ASVS
 * 1.2.10's list) gets a leading apostrophe first, so a model name or project name can never
 * become a formula when opened. Control characters and direction overrides in text are written
 * as visible escapes (`\u202e`), as a terminal shows them.
 * Numbers are written as they are (a negative number is a number, not a formula).
 */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  const text = typeof cell === 'number' ? (Number.isFinite(cell) ? String(cell) : '') : defuseFormula(showControls(cell));
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Control characters but tab, CR and LF (which a quoted field holds), DEL, the C1 controls, and the
 * Unicode direction marks, overrides and isolates: what `src-main/cli/safeTerminalText.ts` shows
 * escaped, so a name that reads differently from what it holds ("photo\u202egnp.exe" showing as
 * "photoexe.png") is shown as it is in a spreadsheet too, and the page's export is the CLI's file.
 */
const hiddenInCell = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function showControls(text: string): string {
  return text.replace(hiddenInCell, (found) => `\\u${found.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function defuseFormula(text: string): string {
  return /^[=+\-@\t\r\0]/.test(text) ? `'${text}` : text;
}
