/**
 * What is wrong with a telemetry collector's address, in a sentence, or null when it can be used:
 * http(s) with a host; no user name or password, no query and no fragment (a token there would be
 * stored, listed, printed and logged with the address); no space, control or invisible character (the URL
 * parser drops a line break or a tab, the stored text would keep it, and the CLI prints that text:
 * a line of its own, such as a forged "privacyMode: local-only"). The core's schema and the
 * Settings page's field both ask this. An empty text is the caller's to judge (off: no address).
 */
export function telemetryAddressProblem(text: string): string | null {
  // \s covers the Unicode spaces and line breaks; \p{Cc} the C0 and C1 controls (ESC, NEL); \p{Cf}
  // the invisible ones (a zero-width space, a direction override that shows the address reversed).
  if (/[\s\p{Cc}\p{Cf}]/u.test(text)) return 'The address cannot hold spaces, control characters or invisible characters.';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'This is not a web address: write it like http://localhost:4318.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'The address starts with http:// or https://.';
  if (url.hostname === '') return 'This is not a web address: write it like http://localhost:4318.';
  if (url.username !== '' || url.password !== '') return 'Leave the user name and password out of the address.';
  if (text.includes('?') || text.includes('#')) return 'Leave out anything after ? or #: give only the collector’s address, such as http://localhost:4318.';
  return null;
}
