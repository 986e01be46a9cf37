import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { Target } from '../../src-shared/domain/provider.ts';
import type { BreakerState } from '../modelCall/modelCallTypes.ts';
import { ProviderError } from '../providers/ProviderError.ts';
import type { TargetHealth } from './balance/TargetHealth.ts';
import { targetKey } from './balance/targetKey.ts';
import { isBreakerFailure } from './shouldRetry.ts';

export interface TargetBreakersOptions {
  threshold: number;
  halfOpenAfterMs: number;
  /** A target's circuit changed state (the UI shows it). */
  onStateChange?: (providerId: string) => void;
  /** A monotonic clock (default performance.now): the cool-down as it passed when the wall clock was set back meanwhile. */
  clock?: () => number;
}

/** cockatiel's state of an open circuit (a private field): when it opened, by Date.now. */
interface OpenState {
  value: CircuitState;
  openedAt?: number;
}

/**
 * One circuit breaker (cockatiel) per provider+model, created on first use, with what load
 * balancing needs to know of each: its health, and when its circuit opened.
 */
export class TargetBreakers {
  readonly #options: TargetBreakersOptions;
  readonly #breakers = new Map<string, TargetBreaker>();
  readonly #openedAt = new Map<string, number>();
  /** When each circuit opened by the monotonic clock. */
  readonly #openedTick = new Map<string, number>();
  readonly #clock: () => number;

  constructor(options: TargetBreakersOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** The breaker of `target`; failures of the backend (isBreakerFailure) count against it. */
  for(target: Target): TargetBreaker {
    const key = targetKey(target);
    let breaker = this.#breakers.get(key);
    if (!breaker) {
      const counter = new ConsecutiveBreaker(this.#options.threshold);
      const policy = circuitBreaker(handleWhen(isCounted), { halfOpenAfter: this.#options.halfOpenAfterMs, breaker: counter });
      policy.onStateChange(() => this.#options.onStateChange?.(target.providerId));
      policy.onBreak(() => {
        this.#openedAt.set(key, Date.now());
        this.#openedTick.set(key, this.#clock());
      });
      breaker = new TargetBreaker(policy, counter, () => this.#afterSetBack(key, policy));
      this.#breakers.set(key, breaker);
    }
    return breaker;
  }

  /** A target's circuit for balancing (by targetKey); cockatiel moves open → half-open on the first call after its cool-down. */
  health(key: string): TargetHealth {
    const policy = this.#breakers.get(key)?.policy;
    if (policy) this.#afterSetBack(key, policy);
    const state = policy?.state;
    switch (state) {
      case undefined:
      case CircuitState.Closed:
        return 'healthy';
      case CircuitState.HalfOpen:
        return 'probing';
      case CircuitState.Open:
        // cockatiel times the cool-down with Date.now, so this does too.
        return Date.now() - (this.#openedAt.get(key) ?? 0) >= this.#options.halfOpenAfterMs ? 'probe-due' : 'open';
      case CircuitState.Isolated:
        return 'open';
      default:
        return state satisfies never;
    }
  }

  /**
   * An open circuit whose opening is after now by the wall clock (it was set back since): cockatiel
   * would keep it open until the clock passed that time again, however far back it went. Its
   * opening is moved to now less the time that really passed (the monotonic clock), so it tries
   * again when its cool-down is over.
   */
  #afterSetBack(key: string, policy: CircuitBreakerPolicy): void {
    // A private field of cockatiel's: should a version of it not have one, the circuit is left to it as it is.
    const inner = (policy as unknown as { innerState?: OpenState }).innerState;
    if (inner === undefined || inner === null || typeof inner !== 'object') return;
    const now = Date.now();
    if (inner.value !== CircuitState.Open || inner.openedAt === undefined || inner.openedAt <= now) return;
    const tick = this.#openedTick.get(key);
    inner.openedAt = now - (tick === undefined ? 0 : Math.max(0, this.#clock() - tick));
    this.#openedAt.set(key, inner.openedAt);
  }

  /** Circuit state per provider+model that has been used, for the UI. */
  states(): { providerId: string; model: string; state: BreakerState }[] {
    return [...this.#breakers.entries()].map(([key, breaker]) => {
      const [providerId = '', model = ''] = JSON.parse(key) as [string, string];
      return { providerId, model, state: describeState(breaker.policy.state) };
    });
  }
}

/** The failures of the backend that count against its circuit (a 5xx, a reset, a hang; not a 400 or a cancel). */
function isCounted(error: unknown): boolean {
  return error instanceof ProviderError && isBreakerFailure(error.kind);
}

/**
 * One target's circuit: cockatiel's policy, run by it whenever its state matters (open,
 * half-open, isolated). While closed, which is nearly always, cockatiel would only run the
 * attempt and count the outcome on its ConsecutiveBreaker; `execute` does that itself, saving
 * cockatiel's layers of promises on every call: a success resets the count, a counted failure
 * goes through the policy (which counts it and opens the circuit at the threshold), anything
 * else passes untouched, as cockatiel does with an error its filter does not handle.
 */
export class TargetBreaker {
  readonly policy: CircuitBreakerPolicy;
  readonly #counter: ConsecutiveBreaker;
  readonly #afterSetBack: () => void;

  constructor(policy: CircuitBreakerPolicy, counter: ConsecutiveBreaker, afterSetBack: () => void = () => undefined) {
    this.policy = policy;
    this.#counter = counter;
    this.#afterSetBack = afterSetBack;
  }

  get state(): CircuitState {
    return this.policy.state;
  }

  execute<T>(attempt: () => Promise<T>): Promise<T> {
    if (this.policy.state !== CircuitState.Closed) {
      this.#afterSetBack();
      return this.policy.execute(attempt);
    }
    return attempt().then(
      (value) => {
        this.#counter.success();
        return value;
      },
      (error: unknown) => this.#failedWhileClosed(error),
    );
  }

  /** An attempt started while closed failed: counted as cockatiel counts it (as a failure in the closed state). */
  #failedWhileClosed(error: unknown): Promise<never> {
    if (!isCounted(error)) return Promise.reject(error);
    // Still closed: the policy counts it and opens the circuit at the threshold.
    if (this.policy.state === CircuitState.Closed) return this.policy.execute(() => Promise.reject(error));
    // Other calls changed the state meanwhile: cockatiel counts it all the same, and at the
    // threshold reopens a half-open circuit (open() does nothing to an open or isolated one).
    if (this.#counter.failure()) (this.policy as unknown as { open(reason: { error: unknown }, signal: AbortSignal): void }).open({ error }, new AbortController().signal);
    return Promise.reject(error);
  }
}

function describeState(state: CircuitState): BreakerState {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
    default:
      return state satisfies never;
  }
}
