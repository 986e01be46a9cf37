import type { ProviderErrorKind } from '../providers/ProviderError.ts';

/** Which count a retry is charged to: rate limits (429) have their own, larger budget. */
export type RetryBudget = 'errors' | 'rateLimits';

export interface RetryDecision {
  /** Try the same target again (after `delayMs`); false: give up on it (the router falls back unless cancelled). */
  retry: boolean;
  /** The budget this retry uses (set when `retry`). */
  budget?: RetryBudget;
  delayMs: number;
  /** No retry only because its wait would reach the call's deadline. */
  reachesDeadline?: true;
}

export interface RetryInput {
  kind: ProviderErrorKind;
  /** Retries already made on this target in this call, per budget. */
  retried: Record<RetryBudget, number>;
  /** Most retries for errors (5xx, 408, 409, resets) on one target. */
  maxRetries: number;
  /** Most retries for 429 on one target: a throttled server is busy, not broken. */
  maxRateLimitRetries: number;
  retryAfterMs?: number | undefined;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0..1; injected so tests are deterministic. */
  random: number;
  /** Time left before the call's overall deadline; a retry whose wait would reach it is not made. */
  remainingMs?: number;
}

/** Retried on the same target with backoff. A timeout is not: a hung target moves on at once. */
const retried: ReadonlySet<ProviderErrorKind> = new Set(['rate-limited', 'conflict', 'request-timeout', 'server', 'connection']);

/**
 * Kinds that count against a provider+model's circuit breaker: the backend is unwell, not the
 * request. A 429 is not: the server is up and asks to slow down, which the rate-limit backoff
 * does; counting it would open the circuit in a 429 storm and turn throttling into lost calls.
 */
export function isBreakerFailure(kind: ProviderErrorKind): boolean {
  return kind === 'timeout' || (retried.has(kind) && kind !== 'rate-limited');
}

/**
 * The whole retry policy in one pure function (as the OpenAI and Anthropic SDKs keep
 * `shouldRetry`): 408/409/5xx and connection resets retry up to `maxRetries` times, 429 up to
 * `maxRateLimitRetries` times (a budget of its own), both with exponential backoff and jitter in
 * [d/2, d]. Retry-After is a floor: it can lengthen the wait (up to 6 x `maxDelayMs`), never
 * shorten it, so `Retry-After: 0` still backs off more each time. Timeouts (the target hung),
 * 400/401/403/404, context length, bad output and "unavailable" do not retry; cancellation stops
 * everything. No retry is made whose wait would reach the call's deadline.
 */
export function shouldRetry(input: RetryInput): RetryDecision {
  const stop: RetryDecision = { retry: false, delayMs: 0 };
  if (!retried.has(input.kind)) return stop;
  const budget: RetryBudget = input.kind === 'rate-limited' ? 'rateLimits' : 'errors';
  const limit = budget === 'rateLimits' ? input.maxRateLimitRetries : input.maxRetries;
  const attempt = input.retried[budget] + 1;
  if (attempt > limit) return stop;
  const exponential = Math.min(input.maxDelayMs, input.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(exponential / 2 + (exponential / 2) * input.random);
  const delayMs = input.retryAfterMs !== undefined ? Math.min(Math.max(input.retryAfterMs, jittered), input.maxDelayMs * 6) : jittered;
  if (input.remainingMs !== undefined && delayMs >= input.remainingMs) return { ...stop, reachesDeadline: true };
  return { retry: true, budget, delayMs };
}
