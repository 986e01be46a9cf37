import { isDeepStrictEqual } from 'node:util';

/**
 * Whether two specs say the same thing: compared as the JSON they are stored as, so key order
 * and properties left undefined do not count.
 */
export function sameSpec(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(asStored(a), asStored(b));
}

function asStored(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}
