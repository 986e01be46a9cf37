import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { RateLimiter } from './RateLimiter.ts';

/**
 * One rate limiter per provider, kept while its limits stay the same: a provider whose limits
 * change gets a fresh limiter. The same frozen limits object (the store hands out its cached
 * configuration) is recognised without comparing, so a call pays no JSON for it.
 */
export class RateLimiters {
  readonly #now: () => number;
  readonly #byProvider = new Map<string, { key: string; limits: ProviderConfig['limits']; limiter: RateLimiter }>();

  constructor(now: () => number) {
    this.#now = now;
  }

  for(config: ProviderConfig): RateLimiter {
    const existing = this.#byProvider.get(config.id);
    if (existing && existing.limits === config.limits && Object.isFrozen(config.limits)) return existing.limiter;
    const key = JSON.stringify(config.limits);
    if (existing && existing.key === key) {
      existing.limits = config.limits;
      return existing.limiter;
    }
    const limiter = new RateLimiter(config.limits, this.#now);
    this.#byProvider.set(config.id, { key, limits: config.limits, limiter });
    return limiter;
  }
}
