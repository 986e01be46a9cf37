import { hostname } from 'node:os';

/** Every container and volume the sandbox makes carries this label (value `1`), so orphans can be found. */
export const sandboxLabel = 'service-creator.sandbox';

/**
 * Which process made it, `host/pid`: the reaper leaves alone what a live instance on this host
 * (the desktop app while the CLI starts, say) is still using.
 */
export const ownerLabel = 'service-creator.owner';

/** The owner label value of this process. */
export function currentOwner(): string {
  return `${hostname()}/${process.pid}`;
}
