import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * A clock every process of one machine reads alike and that setting the wall clock does not move:
 * the operating system's monotonic clock (ms since it started), named by `id`, the same for every
 * process of that machine until it restarts (Linux's boot id; elsewhere the host name, and a
 * reading ahead of the reader's own tells a reading from before a restart).
 */
export interface HostClock {
  id: string;
  now: () => number;
}

let id: string | undefined;

export const hostClock: HostClock = {
  get id(): string {
    if (id === undefined) {
      let boot = '';
      try {
        boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
      } catch {
        // not Linux: the host name alone
      }
      id = boot === '' ? `host:${hostname()}` : `boot:${boot}`;
    }
    return id;
  },
  now: () => Number(process.hrtime.bigint() / 1_000_000n),
};
