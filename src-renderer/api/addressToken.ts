const tokenKey = 'service-creator.bridge-token';

/**
 * The bridge token in the address (`#token=…`, as `serve` prints it; the fragment is never sent
 * to a server), kept in sessionStorage so a reload keeps working; null when the address has none.
 * The caller rewrites the address (the route takes the hash's place).
 */
export function takeAddressToken(): string | null {
  const hash = window.location.hash.slice(1);
  if (hash.startsWith('/')) return null; // a route, not a token
  const token = new URLSearchParams(hash).get('token');
  if (!token) return null;
  try {
    sessionStorage.setItem(tokenKey, token);
  } catch {
    // storage can be unavailable: the token still works until a reload
  }
  return token;
}

/** The token taken from an earlier address of this tab, if any. */
export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(tokenKey);
  } catch {
    return null;
  }
}
