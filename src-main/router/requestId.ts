import { randomUUID } from 'node:crypto';

/**
 * A routed call's id: a UUID in version 7's layout (RFC 9562: the first 48 bits are the time in
 * milliseconds, the rest random), so ids made one after another sort together. The attempts
 * table is indexed by request id; random (v4) ids put every new row on a different page of that
 * index, which doubled the CPU of writing the attempts (bench/routerCpu.ts).
 */
export function requestId(now = Date.now()): string {
  // The time's part is made once per millisecond.
  if (now !== prefixMs) {
    prefixMs = now;
    const time = now.toString(16).padStart(12, '0').slice(-12);
    prefix = `${time.slice(0, 8)}-${time.slice(8)}-7`;
  }
  // randomUUID: 8-4-4-4-12 hex, its version nibble at 14; from 15 on (the variant too) it is kept.
  return prefix + randomUUID().slice(15);
}

let prefixMs = -1;
let prefix = '';
