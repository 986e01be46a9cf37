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
}

/**
 * One circuit breaker (cockatiel) per provider+model, created on first use, with what load
 * balancing needs to know of each: its health, and when its circuit opened.
 */
export class TargetBreakers {
  readonly #options: TargetBreakersOptions;
  readonly #breakers = new Map<string, CircuitBreakerPolicy>();
  readonly #openedAt = new Map<string, number>();

  constructor(options: TargetBreakersOptions) {
    this.#options = options;
  }

  /** The breaker of `target`; failures of the backend (isBreakerFailure) count against it. */
  for(target: Target): CircuitBreakerPolicy {
    const key = targetKey(target);
    let breaker = this.#breakers.get(key);
    if (!breaker) {
      breaker = circuitBreaker(
        handleWhen((error) => error instanceof ProviderError && isBreakerFailure(error.kind)),
        { halfOpenAfter: this.#options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(this.#options.threshold) },
      );
      breaker.onStateChange(() => this.#options.onStateChange?.(target.providerId));
      breaker.onBreak(() => this.#openedAt.set(key, Date.now()));
      this.#breakers.set(key, breaker);
    }
    return breaker;
  }

  /** A target's circuit for balancing (by targetKey); cockatiel moves open → half-open on the first call after its cool-down. */
  health(key: string): TargetHealth {
    const state = this.#breakers.get(key)?.state;
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

  /** Circuit state per provider+model that has been used, for the UI. */
  states(): { providerId: string; model: string; state: BreakerState }[] {
    return [...this.#breakers.entries()].map(([key, breaker]) => {
      const [providerId = '', model = ''] = JSON.parse(key) as [string, string];
      return { providerId, model, state: describeState(breaker.state) };
    });
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
