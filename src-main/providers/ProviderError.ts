import { AppError } from '../../src-shared/AppError.ts';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';

/**
 * Why a provider call failed, in the router's terms. `shouldRetry` decides from `kind` alone
 * (plus `retryAfterMs`), so every adapter maps its SDK's errors into these.
 */
export const providerErrorKinds = [
  'rate-limited', // 429
  'conflict', // 409
  'request-timeout', // 408
  'server', // >= 500
  'timeout', // our own first-token or total timeout
  'connection', // refused, reset, DNS, socket closed
  'auth', // 401 / 403: the key was rejected
  'bad-request', // 400, 422
  'not-found', // 404: model or endpoint
  'context-length', // prompt too long for the model
  'invalid-output', // not JSON / schema violation after repair
  'cancelled', // the caller aborted
  'unavailable', // not configured, no key, model file missing
] as const;
export type ProviderErrorKind = (typeof providerErrorKinds)[number];

export interface ProviderErrorOptions {
  status?: number;
  retryAfterMs?: number;
  cause?: unknown;
}

export class ProviderError extends AppError {
  readonly kind: ProviderErrorKind;
  readonly providerId: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(providerId: string, kind: ProviderErrorKind, message: string, options: ProviderErrorOptions = {}) {
    // Provider text (an error body, an echoed header) is scrubbed of keys here, where it enters
    // the app: every copy made later (attempts, statuses, run errors, logs) is then clean.
    super(kind === 'cancelled' ? 'CANCELLED' : 'PROVIDER_FAILED', scrubSecrets(`${providerId}: ${message}`), {
      retryable: ['rate-limited', 'conflict', 'request-timeout', 'server', 'timeout', 'connection'].includes(kind),
      cause: options.cause,
    });
    this.name = 'ProviderError';
    this.kind = kind;
    this.providerId = providerId;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
