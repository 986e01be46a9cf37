/**
 * Whether a base URL points at this machine: `localhost` (and `*.localhost`, which resolvers send
 * to loopback), any address in 127.0.0.0/8, or `::1`. A server there is local by default: what is
 * sent to it never leaves the machine. Anything else (a LAN address included) is not, because
 * only the user knows whether that host is theirs. A string that is not a URL is not loopback.
 */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (url === undefined || url.trim() === '') return false;
  let hostname: string;
  try {
    hostname = new URL(url.trim()).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (hostname === '[::1]' || hostname === '::1') return true;
  // The WHATWG parser has already normalised IPv4 forms (127.1, 0x7f.0.0.1) to dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
