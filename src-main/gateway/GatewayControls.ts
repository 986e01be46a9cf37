import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { BudgetStatus } from '../../src-shared/domain/budget.ts';
import type { ProviderConfig, Target } from '../../src-shared/domain/provider.ts';
import type { ResponseCacheSettings } from '../../src-shared/domain/settings.ts';
import type { RouteRequest } from '../modelCall/modelCallTypes.ts';
import type { BudgetAdmission, CallControls, KeptAnswer, RateSlot } from '../router/routerTypes.ts';
import type { AttemptRepository } from '../store/AttemptRepository.ts';
import { BudgetRepository } from '../store/BudgetRepository.ts';
import { ResponseCacheRepository } from '../store/ResponseCacheRepository.ts';
import { SharedRateLimits } from '../store/SharedRateLimits.ts';
import { formatUsd } from '../../src-shared/formatUsd.ts';
import { abortableSleep } from '../router/abortableSleep.ts';

const noBudget: BudgetAdmission = { release() {} };
const noSlot: RateSlot = { settle() {} };

export interface GatewayControlsDeps {
  db: Database;
  attempts: AttemptRepository;
  responseCache: () => ResponseCacheSettings;
  /** A budget passed 80 % of its limit (said once per budget and period in this process). */
  onBudgetWarning?: ((status: BudgetStatus) => void) | undefined;
  now?: () => number;
}

/**
 * The control plane on every call, in SQLite so the app and each CLI process share it: the
 * response cache (exact match on the hash of provider, model, messages, parameters, schema and
 * prompt version), budgets (a call's projected cost is reserved before it is sent and released
 * once its real cost is recorded) and the providers' shared rate windows. The router asks it at
 * each target (routerTypes.ts CallControls); nothing here runs when the cache is off, no budget
 * is set and a provider has no limits.
 */
export class GatewayControls implements CallControls {
  readonly #deps: GatewayControlsDeps;
  readonly budgets: BudgetRepository;
  readonly cache: ResponseCacheRepository;
  readonly #rates: SharedRateLimits;
  readonly #warned = new Set<string>();
  readonly #now: () => number;

  constructor(deps: GatewayControlsDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.budgets = new BudgetRepository(deps.db, this.#now);
    this.cache = new ResponseCacheRepository(deps.db, this.#now);
    this.#rates = new SharedRateLimits(deps.db, this.#now);
  }

  cached(target: Target, request: RouteRequest): KeptAnswer | undefined {
    const settings = this.#deps.responseCache();
    if (!settings.enabled || request.cache === 'bypass') return undefined;
    return this.cache.get(cacheKey(target, request));
  }

  keep(target: Target, request: RouteRequest, answer: KeptAnswer): void {
    const settings = this.#deps.responseCache();
    if (!settings.enabled) return;
    this.cache.put(
      { key: cacheKey(target, request), providerId: target.providerId, model: target.model, promptVersion: request.promptVersion, ttlMs: settings.ttlHours * 3_600_000, ...answer },
      settings.maxMegabytes * 1024 * 1024,
    );
  }

  admit(input: { requestId: string; target: Target; config: ProviderConfig; projectId: string | undefined; amountUsd: number | undefined; holdMs: number }): BudgetAdmission {
    if (input.amountUsd === 0 || !this.budgets.any()) return noBudget;
    const { target, projectId } = input;
    if (input.amountUsd === undefined) {
      const counting = this.budgets.statuses().find((status) => status.scope === 'overall' || (status.scope === 'provider' && status.scopeId === target.providerId) || (status.scope === 'project' && status.scopeId === projectId));
      return counting ? { refused: `no price is known for ${target.model}, so ${counting.label} could not be kept; add its price under Pricing` } : noBudget;
    }
    const amountUsd = input.amountUsd;
    // Held past the call's deadline: a reservation lapses only when its process died mid-call.
    const reservation = this.budgets.reserve({ requestId: input.requestId, providerId: target.providerId, model: target.model, projectId, amountUsd, holdMs: input.holdMs });
    if (!reservation.ok) {
      const { budget } = reservation;
      return { refused: `over ${budget.label}: ${formatUsd(budget.leftUsd)} left of ${formatUsd(budget.limitUsd)}, and this call could cost up to ${formatUsd(amountUsd)}` };
    }
    for (const status of reservation.statuses) this.#warnAt80(status);
    const id = reservation.id;
    if (id === undefined) return noBudget;
    return {
      release: (costUsd) => {
        if (!this.#deps.db.open) return;
        // The attempt with the real cost is written before the reservation goes: no moment counts neither.
        this.#deps.db.transaction(() => {
          this.#deps.attempts.flush();
          if (costUsd === undefined) this.budgets.settleAtReserved(id);
          else this.budgets.release(id);
        })();
      },
    };
  }

  rateSlot(config: ProviderConfig, tokens: number, signal: () => AbortSignal): RateSlot | Promise<RateSlot> {
    const { limits } = config;
    // No limits (most providers): no look at the store and no await.
    if (limits.requestsPerMinute === undefined && limits.tokensPerMinute === undefined && limits.burst === undefined) return noSlot;
    const taken = this.#rates.tryTake(config.id, limits, tokens);
    return typeof taken === 'number' ? this.#waitForSlot(config, tokens, taken, signal) : taken;
  }

  async #waitForSlot(config: ProviderConfig, tokens: number, firstWaitMs: number, signal: () => AbortSignal): Promise<RateSlot> {
    let waitMs = firstWaitMs;
    for (;;) {
      await abortableSleep(waitMs, signal());
      const taken = this.#rates.tryTake(config.id, config.limits, tokens);
      if (typeof taken !== 'number') return taken;
      waitMs = taken;
    }
  }

  #warnAt80(status: BudgetStatus): void {
    const key = `${status.label}@${status.periodStart}`;
    if (status.used < 0.8 || this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#deps.onBudgetWarning?.(status);
  }
}

/**
 * The cache key: SHA-256 of everything that shapes the answer. The messages are those the service
 * made (before any redaction for a cloud target), so a changed prompt template's text misses even
 * when its version number was not raised; the version is in the key too.
 */
export function cacheKey(target: Target, request: RouteRequest): string {
  const asked = [target.providerId, target.model, request.messages, request.maxTokens ?? null, request.maxChars ?? null, request.temperature ?? null, request.schema ?? null, request.promptVersion ?? null];
  return createHash('sha256').update(JSON.stringify(asked)).digest('hex');
}
