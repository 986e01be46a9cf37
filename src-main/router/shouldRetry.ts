import type { ProviderErrorKind } from '../providers/ProviderError.ts';

export interface RetryDecision {
  /** Try the same target again (after `delayMs`). */
  retry: boolean;
  /** Give up on this target and try the next one (when `retry` is false). */
  fallback: boolean;
  delayMs: number;
}

export interface RetryInput {
  kind: ProviderErrorKind;
  /** 1 for the first retry. */
  attempt: number;
  maxAttempts: number;
  retryAfterMs?: number | undefined;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1; injected so tests are deterministic. */
  random: number;
}

const transient: ReadonlySet<ProviderErrorKind> = new Set(['rate-limited', 'conflict', 'request-timeout', 'server', 'timeout', 'connection']);

/** Kinds that count against a provider+model's circuit breaker: the backend is unwell, not the request. */
export function isBreakerFailure(kind: ProviderErrorKind): boolean {
  return transient.has(kind);
}

/**
 * The whole retry policy in one pure function (as the OpenAI and Anthropic SDKs keep
 * `shouldRetry`): 408/409/429/5xx, timeouts and connection resets retry with exponential backoff
 * and full jitter, honouring Retry-After; 400/401/403/404, context length, bad output and
 * "unavailable" do not retry but may fall back to the next target; cancellation stops everything.
 */
export function shouldRetry(input: RetryInput): RetryDecision {
  if (input.kind === 'cancelled') return { retry: false, fallback: false, delayMs: 0 };
  if (!transient.has(input.kind)) return { retry: false, fallback: true, delayMs: 0 };
  if (input.attempt > input.maxAttempts) return { retry: false, fallback: true, delayMs: 0 };
  const exponential = Math.min(input.maxDelayMs, input.baseDelayMs * 2 ** (input.attempt - 1));
  const jittered = Math.round(exponential / 2 + (exponential / 2) * input.random);
  const delayMs = input.retryAfterMs !== undefined ? Math.min(Math.max(input.retryAfterMs, jittered), input.maxDelayMs * 6) : jittered;
  return { retry: true, fallback: false, delayMs };
}
