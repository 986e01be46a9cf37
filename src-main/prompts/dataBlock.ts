/**
 * Wraps user-supplied text so a prompt can tell data from instructions. The markers cannot be
 * forged from inside: any `<<<` or `>>>` in the text is replaced by look-alike guillemets, and
 * control characters other than tab and newline are dropped.
 */
export function dataBlock(label: string, text: string): string {
  const safe = text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
    .replaceAll('<<<', '‹‹‹')
    .replaceAll('>>>', '›››');
  return `<<<DATA ${label}\n${safe}\nDATA>>>`;
}
