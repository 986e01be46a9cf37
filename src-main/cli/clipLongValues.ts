/** How much of one value an error line quotes. */
const shownLength = 200;

/**
 * An error line with each very long value in it cut to its first 200 characters and "…": a
 * pasted file as an argument, or a 100 000-character id, would otherwise be printed whole (twice,
 * in commander's "argument '…' is invalid. … got '…'"), burying what the line says. A value is a
 * quoted stretch ('…' or "…": its opening quote starts a word, its closing one ends it, so the
 * words between two quoted names are never taken for one) or a stretch without spaces or quotes; a line of
 * ordinary length is as it was.
 */
export function clipLongValues(message: string): string {
  return message
    .replace(new RegExp(`(?<=^|[\\s(\\[=:])(['"])([^'"]{${shownLength}})[^'"]+\\1(?=$|[\\s.,;:!?)\\]])`, 'g'), (_all, quote: string, start: string) => `${quote}${start}…${quote}`)
    .replace(new RegExp(`([^\\s'"]{${shownLength}})[^\\s'"]+`, 'g'), (_all, start: string) => `${start}…`);
}
