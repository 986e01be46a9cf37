import { hash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { BudgetStatus } from '../../src-shared/domain/budget.ts';
import type { ProviderConfig, Target } from '../../src-shared/domain/provider.ts';
import type { ResponseCacheSettings } from '../../src-shared/domain/settings.ts';
import type { RouteRequest } from '../modelCall/modelCallTypes.ts';
import type { BudgetAdmission, CallControls, RateSlot } from '../router/routerTypes.ts';
import type { AttemptRepository } from '../store/AttemptRepository.ts';
import { BudgetRepository, type LedgerOwner } from '../store/BudgetRepository.ts';
import { PassedOver } from '../router/PassedOver.ts';
import { ResponseCacheRepository } from '../store/ResponseCacheRepository.ts';
import { BudgetLeases } from './BudgetLeases.ts';
import { RateLeases } from './RateLeases.ts';
import { RecentDigests } from './RecentDigests.ts';
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
  /** Who this process's budget reservations belong to (a holder that is gone has its reservations given back). */
  owner?: LedgerOwner | undefined;
  /** A provider as stored now (changed by any process), for a call waiting on its rate limit; undefined once removed. */
  provider?: (providerId: string) => ProviderConfig | undefined;
}

/** How often a call waiting for a rate slot looks whether its provider's limits changed (raised or removed anywhere). */
const limitsCheckMs = 1_000;

/** What the controls of one call go by, read with the rest of its configuration at its start (ModelGateway). */
export interface ControlsSnapshot {
  /** The configuration generation then (cacheUntilChange): a budget or the cache changed anywhere moves it. */
  generation: number;
  cache: ResponseCacheSettings;
  /** Whether any budget was set then (with none, a target's check looks again: one set since counts it). */
  budgets: boolean;
}

/**
 * The control plane on every call, in SQLite so the app and each CLI process share it: the
 * response cache (exact match on the hash of provider, model, messages, parameters, schema and
 * prompt version), budgets (a call's projected cost is reserved before it is sent and released
 * once its real cost is recorded, drawn from a lease: BudgetLeases) and the providers' shared rate
 * windows (slots drawn from a lease: RateLeases). The router asks it at each target
 * (routerTypes.ts CallControls) through `forCall`, bound to the settings the call started with;
 * nothing here runs when the cache is off, no budget is set and a provider has no limits.
 */
export class GatewayControls {
  readonly #deps: GatewayControlsDeps;
  readonly budgets: BudgetRepository;
  readonly cache: ResponseCacheRepository;
  readonly #leases: BudgetLeases;
  readonly #rates: RateLeases;
  readonly #warned = new Set<string>();
  /** The cache keys' hashes of recently asked requests (a hit hashes nothing). */
  readonly #digests = new RecentDigests();
  readonly #now: () => number;

  constructor(deps: GatewayControlsDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.budgets = new BudgetRepository(deps.db, this.#now, deps.owner);
    this.cache = new ResponseCacheRepository(deps.db, this.#now);
    this.#leases = new BudgetLeases({ db: deps.db, budgets: this.budgets, attempts: deps.attempts, now: this.#now });
    this.#rates = new RateLeases({ rates: new SharedRateLimits(deps.db, this.#now), attempts: deps.attempts, now: this.#now });
  }

  /** What the controls go by for one call, read now (inside the gateway's one look at the store). */
  snapshot(generation: number): ControlsSnapshot {
    return { generation, cache: this.#deps.responseCache(), budgets: this.budgets.any() };
  }

  /** The controls of one call, bound to the settings it started with (and the providers, whose endpoints key the cache). */
  forCall(snapshot: ControlsSnapshot, providers: readonly ProviderConfig[] = []): CallControls {
    // The key of the request last asked about: `keep` after `cached` hashes nothing again. Only `cached`
    // makes it, on every call: a request object asked again with its messages changed (a template
    // edited in place) is keyed by what it asks now, and its answer kept under what was asked.
    let last: { target: Target; request: RouteRequest; key: string } | undefined;
    // What a target puts in the key, made once per target (a plan's targets are reused call after call).
    const targetParts = new WeakMap<Target, string>();
    const keyOf = (target: Target, request: RouteRequest, asked = false): string => {
      if (!asked && last?.target === target && last.request === request) return last.key;
      let part = targetParts.get(target);
      if (part === undefined) {
        part = cacheKeyTarget(target, providers.find((provider) => provider.id === target.providerId));
        targetParts.set(target, part);
      }
      last = { target, request, key: cacheKeyOf(part, request, this.#digests) };
      return last.key;
    };
    const { cache } = snapshot;
    // A cap lowered since the last call holds for the answers already kept (evicted off the call's path).
    if (cache.enabled) this.cache.limit(cache.maxMegabytes * 1024 * 1024);
    return {
      cached: (target, request) => {
        if (!cache.enabled) return undefined;
        const key = keyOf(target, request, true);
        return request.cache === 'bypass' ? undefined : this.cache.get(key, snapshot.generation, cache.ttlHours * 3_600_000);
      },
      keep: (target, request, answer) => {
        if (!cache.enabled || request.keepable?.(answer.text) === false) return;
        this.cache.put(
          { key: keyOf(target, request), providerId: target.providerId, model: target.model, promptVersion: request.promptVersion, ttlMs: cache.ttlHours * 3_600_000, ...answer },
          cache.maxMegabytes * 1024 * 1024,
          snapshot.generation,
        );
      },
      // With no budget when the call began, looked again (cached until the configuration changes): one set meanwhile (the CLI) counts its fallbacks.
      admit: (input) => (input.amountUsd === 0 || (!snapshot.budgets && !this.budgets.any()) ? noBudget : this.#admit(input, snapshot.generation)),
      rateSlot: (config, tokens, signal, passOver) => this.#rateSlot(config, tokens, signal, passOver === true),
    };
  }

  /** Every budget with what its period has used, this process's idle leases given back and its costs written first. */
  budgetStatuses(): BudgetStatus[] {
    this.#leases.giveBackIdle();
    this.#deps.attempts.flush();
    return this.budgets.statuses();
  }

  /**
   * Says (`onBudgetWarning`, once per budget and period) each budget past 80 % whoever spent it:
   * another process's calls (the CLI, another serve) reach this process's windows too. Asked when
   * what budgets have used moved (watchExternalChanges); nothing is read with no budget set.
   */
  warnNearlySpent(): void {
    if (!this.budgets.any()) return;
    for (const status of this.budgets.statuses()) this.#warnAt80(status);
  }

  /** Gives back what this process holds (budget leases, rate slots) and writes it (on close). */
  close(): void {
    if (!this.#deps.db.open) return;
    this.#leases.giveBackIdle();
    this.#rates.giveBackAll();
    this.#deps.attempts.flush();
  }

  #admit(input: { requestId: string; target: Target; config: ProviderConfig; projectId: string | undefined; amountUsd: number | undefined; holdMs: number }, generation: number): BudgetAdmission {
    const { target, projectId } = input;
    if (input.amountUsd === undefined) {
      const counting = this.budgets.statuses().find((status) => status.scope === 'overall' || (status.scope === 'provider' && status.scopeId === target.providerId) || (status.scope === 'project' && status.scopeId === projectId));
      return counting ? { refused: `no price is known for ${target.model}, so ${counting.label} could not be kept; add its price under Pricing` } : noBudget;
    }
    const amountUsd = input.amountUsd;
    // Held past the call's deadline: a reservation lapses only when its process died mid-call.
    const admission = this.#leases.admit({ requestId: input.requestId, providerId: target.providerId, model: target.model, projectId, amountUsd, holdMs: input.holdMs, generation });
    if (!admission.ok) {
      const { budget } = admission;
      return { refused: `over ${budget.label}: ${formatUsd(budget.leftUsd)} left of ${formatUsd(budget.limitUsd)}, and this call could cost up to ${formatUsd(amountUsd)}` };
    }
    for (const status of admission.statuses) this.#warnAt80(status);
    // No budget counts this call (they name another provider or project): nothing reserved, its answer uncapped.
    if (!admission.counted) return { release: (costUsd) => admission.release(costUsd), counted: false };
    // A retry after a try that may have been billed is another request: reserved again (admittedTries).
    return { release: (costUsd) => admission.release(costUsd), counted: true, again: () => this.#admit(input, generation) };
  }

  #rateSlot(config: ProviderConfig, tokens: number, signal: () => AbortSignal, passOver: boolean): RateSlot | Promise<RateSlot> | number {
    const { limits } = config;
    // No limits (most providers): no look at the store and no await.
    if (limits.requestsPerMinute === undefined && limits.tokensPerMinute === undefined && limits.burst === undefined) return noSlot;
    const taken = this.#rates.tryTake(config, tokens);
    if (typeof taken !== 'number') return taken;
    return passOver ? taken : this.#waitForSlot(config, tokens, taken, signal);
  }

  async #waitForSlot(config: ProviderConfig, tokens: number, firstWaitMs: number, signal: () => AbortSignal): Promise<RateSlot> {
    let limited = config;
    let waitMs = firstWaitMs;
    for (;;) {
      const step = Math.min(limitsCheckMs, waitMs);
      await abortableSleep(step, signal());
      waitMs -= step;
      // Turned off or removed meanwhile (the CLI, the app): nothing is sent to it; the call goes on to the next target.
      const stored = this.#deps.provider ? this.#deps.provider(config.id) : limited;
      if (stored === undefined || !stored.enabled) throw new PassedOver(`${stored === undefined ? 'removed' : 'turned off'} while this call waited for its rate limit, so nothing was sent to it`);
      // Limits raised or removed meanwhile hold at once, not after the wait the old ones gave.
      const current = stored;
      const changed = current.limits !== limited.limits && JSON.stringify(current.limits) !== JSON.stringify(limited.limits);
      if (!changed && waitMs > 0) continue;
      limited = current;
      const { limits } = limited;
      if (limits.requestsPerMinute === undefined && limits.tokensPerMinute === undefined && limits.burst === undefined) return noSlot;
      const taken = this.#rates.tryTake(limited, tokens);
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
 * when its version number was not raised; the version is in the key too. The provider is its id
 * and where it answers (type and address): one pointed at another server misses, never answering
 * with what the old server said. Hashed: the target's part (cacheKeyTarget) and the request's,
 * each a whole JSON text, so the two together read one way only.
 */
export function cacheKey(target: Target, request: RouteRequest, provider?: Pick<ProviderConfig, 'type' | 'baseUrl'>): string {
  return cacheKeyOf(cacheKeyTarget(target, provider), request);
}

/** The target's part of the key: provider id, where it answers, model, as one JSON text. */
function cacheKeyTarget(target: Target, provider?: Pick<ProviderConfig, 'type' | 'baseUrl'>): string {
  return JSON.stringify([target.providerId, provider ? [provider.type, provider.baseUrl ?? null] : null, target.model]);
}

function cacheKeyOf(targetPart: string, request: RouteRequest, digests?: RecentDigests): string {
  const asked = JSON.stringify([request.messages, request.maxTokens ?? null, request.maxChars ?? null, request.temperature ?? null, request.schema ?? null, request.promptVersion ?? null]);
  return digests ? digests.sha256(targetPart, asked) : hash('sha256', targetPart + asked);
}
