/**
 * The only hosts the app sends the user's browser to: where models, local servers, Docker and
 * provider keys come from. Exact host names, https only; add a host here (with its test) when
 * the UI starts linking to it.
 */
export const allowedExternalHosts: readonly string[] = [
  'huggingface.co',
  'ollama.com',
  'docs.docker.com',
  'platform.openai.com',
  'console.anthropic.com',
];

/**
 * Anything but printable ASCII (whitespace and control characters, which URL parsers silently
 * drop or re-encode; non-ASCII look-alikes), and backslashes, which parsers read as slashes.
 */
const unsafeCharacters = /[^\u0021-\u007e]|\\/;

/**
 * True when `url` may be opened in the system browser: https on the default port, no user or
 * password (`https://huggingface.co@evil.example` is evil.example), and a host that is exactly
 * one on the list (not a suffix like huggingface.co.evil.example, not a look-alike: non-ASCII is
 * refused outright, and `xn--` punycode is on no list). Anything the parser would have to
 * repair (spaces, control characters, backslashes) is refused rather than guessed at.
 */
export function isAllowedExternalUrl(url: string): boolean {
  if (url.length > 2048 || unsafeCharacters.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  if (!allowedExternalHosts.includes(parsed.hostname)) return false;
  // Written the plain way: "https://" then that host, not a form the parser repaired ("https:///host").
  const authority = `https://${parsed.hostname}`;
  return url.toLowerCase().startsWith(authority) && /^([/?#]|$)/.test(url.slice(authority.length));
}
