import { randomBytes } from 'node:crypto';

/**
 * A routed call's id: a UUID in version 7's layout (RFC 9562, section 5.7): 48 bits of Unix time
 * in milliseconds, the version, 12 bits of a counter, the variant and 62 random bits. The
 * counter follows the RFC's "fixed bit-length dedicated counter" (section 6.2, method 1): it
 * counts the ids of one millisecond, and the time never goes back (a clock set back, or more
 * than 4,096 ids in a millisecond, carry on from the last one), so each id of this process is
 * greater than the one before and none repeats. The 62 random bits are drawn once per process
 * and tell processes apart. Ids made one after another sort together: the attempts table is
 * indexed by request id, and random (v4) ids put every new row on a different page of that index,
 * which doubled the CPU of writing the attempts (bench/routerCpu.ts). Nothing is drawn per call
 * (a fresh random UUID per call cost more than the rest of the id in a model call's cold path).
 */
export function requestId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
    prefix = timePrefix(now);
  } else if (++counter > 0xfff) {
    lastMs += 1;
    counter = 0;
    prefix = timePrefix(lastMs);
  }
  return prefix + counter.toString(16).padStart(3, '0') + processTail;
}

/** `tttttttt-tttt-7`: the time's 48 bits and the version nibble. */
function timePrefix(ms: number): string {
  const time = ms.toString(16).padStart(12, '0').slice(-12);
  return `${time.slice(0, 8)}-${time.slice(8)}-7`;
}

/** `-vxxx-xxxxxxxxxxxx`: the variant (binary 10) and 62 random bits, drawn once per process. */
function randomTail(): string {
  const bytes = randomBytes(8);
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `-${hex.slice(0, 4)}-${hex.slice(4)}`;
}

const processTail = randomTail();
let lastMs = -1;
let counter = 0;
let prefix = '';
