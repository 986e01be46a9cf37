import { showHiddenMarks } from './showHiddenMarks.ts';

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
  const text = typeof cell === 'number' ? (Number.isFinite(cell) ? String(cell) : '') : defuseFormula(showHiddenMarks(cell));
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function defuseFormula(text: string): string {
  return /^[=+\-@\t\r\0]/.test(text) ? `'${text}` : text;
}
