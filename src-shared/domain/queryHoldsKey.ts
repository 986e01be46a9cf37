/** A query parameter named for a credential: `api_key`, `key`, `access_token`, `sig`, `X-Api-Key`, `password`… */
const credentialParameter = /key|token|secret|passw|pwd|sig|auth|credential/i;

/**
 * Whether an address's query carries a credential (Azure's `api-version` does not). Such an
 * address would be stored, listed and logged with its key: provider addresses and the telemetry
 * collector's refuse it, as they refuse a user name or password.
 */
export function queryHoldsKey(url: string): boolean {
  try {
    for (const name of new URL(url).searchParams.keys()) if (credentialParameter.test(name)) return true;
  } catch {
    // Not an address at all: the URL check says so.
  }
  return false;
}
