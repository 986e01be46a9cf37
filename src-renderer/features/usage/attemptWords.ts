import type { Attempt } from './usageStore.ts';

/** How a call ended, in words. */
export const outcomeWords: Record<Attempt['outcome'], string> = { ok: 'Answered', error: 'Failed', skipped: 'Skipped', cancelled: 'Cancelled' };

/** Why a call failed (the router's `ProviderError` kinds), in words. */
const errorKindWords: Record<string, string | undefined> = {
  'rate-limited': 'Too many requests',
  conflict: 'Refused as a conflict',
  'request-timeout': 'The server gave up waiting',
  server: 'Server error',
  timeout: 'No answer in time',
  connection: 'Could not connect',
  auth: 'Key refused',
  'bad-request': 'Request refused',
  'not-found': 'Model or address not found',
  'context-length': 'Prompt too long for the model',
  'invalid-output': 'Answer not in the form asked for',
  cancelled: 'Cancelled',
  unavailable: 'Not available',
};

/** A failure's kind in words; one this page does not know as it is. */
export function errorKindText(kind: string): string {
  return errorKindWords[kind] ?? kind;
}
