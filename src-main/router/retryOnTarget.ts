import { ProviderError } from '../providers/ProviderError.ts';
import { abortReason } from './abortReason.ts';
import { shouldRetry, type RetryBudget } from './shouldRetry.ts';

export interface RetrySettings {
  maxRetries: number;
  maxRateLimitRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

/**
 * Runs `attempt` on one target until it succeeds or `shouldRetry` says stop, counting the
 * retries for errors and for rate limits apart. Nothing is retried once `stopped` (the caller
 * cancelled or the call's deadline passed); the waits end at once when `signal()` aborts (asked
 * for only when there is a wait); a retry whose wait would outlive the deadline is not made
 * (`onRetryPastDeadline` is told, so the error can say so). (cockatiel's retry policy has one shared count and a wait no signal can cut short.)
 */
export function retryOnTarget<T>(
  attempt: () => Promise<T>,
  settings: RetrySettings,
  deadline: { stopped: () => boolean; signal: () => AbortSignal; remainingMs: () => number; onRetryPastDeadline: () => void },
): Promise<T> {
  // The first try, which nearly always answers, adds no async layer of its own.
  return attempt().catch((error: unknown) => retryAfter(error, attempt, settings, deadline));
}

async function retryAfter<T>(
  firstError: unknown,
  attempt: () => Promise<T>,
  settings: RetrySettings,
  deadline: { stopped: () => boolean; signal: () => AbortSignal; remainingMs: () => number; onRetryPastDeadline: () => void },
): Promise<T> {
  const retried: Record<RetryBudget, number> = { errors: 0, rateLimits: 0 };
  let error = firstError;
  for (;;) {
    if (!(error instanceof ProviderError) || deadline.stopped()) throw error;
    const decision = shouldRetry({
      kind: error.kind,
      retried,
      maxRetries: settings.maxRetries,
      maxRateLimitRetries: settings.maxRateLimitRetries,
      retryAfterMs: error.retryAfterMs,
      baseDelayMs: settings.baseDelayMs,
      maxDelayMs: settings.maxDelayMs,
      random: settings.random(),
      remainingMs: deadline.remainingMs(),
    });
    if (decision.reachesDeadline) deadline.onRetryPastDeadline();
    if (!decision.retry || !decision.budget) throw error;
    retried[decision.budget] += 1;
    await sleep(decision.delayMs, deadline.signal());
    try {
      return await attempt();
    } catch (next) {
      error = next;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(abortReason(signal));
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
