import { lookup as systemLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

/**
 * The address lookup for connections to servers the privacy mode may count as this machine: a
 * `*.localhost` name is this machine (RFC 6761; browsers resolve it so, and isLoopbackUrl counts
 * it as loopback), so it is connected to at 127.0.0.1 without a word to a DNS server, which could
 * answer with another machine's address (the system resolver asks one for such a name, and a
 * search domain can make it someone's host). Every other name is looked up as Node would.
 */
export const localhostLookup: LookupFunction = (hostname, options, callback) => {
  if (!hostname.toLowerCase().endsWith('.localhost')) {
    systemLookup(hostname, options, callback as (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family: number) => void);
    return;
  }
  if (options.all) (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};
