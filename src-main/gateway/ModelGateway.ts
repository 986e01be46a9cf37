import type { Database } from 'better-sqlite3';
import type { ProviderConfig, Routing, TaskKind } from '../../src-shared/domain/provider.ts';
import type { RoutingStrategies } from '../../src-shared/domain/balanceStrategy.ts';
import type { PrivacyGuard, PrivacyMode, ResponseCacheSettings } from '../../src-shared/domain/settings.ts';
import type { BudgetStatus } from '../../src-shared/domain/budget.ts';
import type { AttemptContext, AttemptRecord, BreakerState, Pricing, RouteRequest, RouteResult, TargetTokens } from '../modelCall/modelCallTypes.ts';
import type { ProviderRegistry } from '../providers/descriptors/ProviderRegistry.ts';
import type { ManagedProvider, ProviderContext } from '../providers/descriptors/ProviderDescriptor.ts';
import type { ShippedPricing } from '../providers/loadPricing.ts';
import { ListedModels } from '../providers/ListedModels.ts';
import { findLocalModelFiles } from '../providers/localModels.ts';
import { Router } from '../router/Router.ts';
import type { CallConfig, RouterOptions } from '../router/routerTypes.ts';
import type { Candidate } from '../router/planTargets.ts';
import type { ResolvedApiKey } from '../secrets/resolveApiKey.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import { AttemptRepository } from '../store/AttemptRepository.ts';
import { AuditRepository } from '../store/AuditRepository.ts';
import type { AuditPendingOptions } from '../store/AuditPending.ts';
import { ProviderError } from '../providers/ProviderError.ts';
import { auditEntryFor } from './auditEntryFor.ts';
import { cacheUntilChange, configGeneration, readOnlyAtOnce, generationUnchangedSinceLastLook } from '../store/cacheUntilChange.ts';
import { PriceRepository } from '../store/PriceRepository.ts';
import { AdapterRegistry } from './AdapterRegistry.ts';
import { ProviderKeys } from './ProviderKeys.ts';
import { GatewayControls, type ControlsSnapshot } from './GatewayControls.ts';

export interface ModelGatewayDeps {
  db: Database;
  /** The configured providers, as stored now (ProviderService owns them). */
  providers: () => ProviderConfig[];
  routing: () => Routing;
  /** Each task's load-balancing strategy (RoutingRepository). */
  strategies?: () => RoutingStrategies;
  privacyMode: () => PrivacyMode;
  /** The privacy guard's settings (off when absent): what cloud targets must not receive. */
  privacyGuard?: () => PrivacyGuard;
  /** The projects kept local whatever the privacy mode (their calls go to local targets only). */
  localOnlyProjects?: () => ReadonlySet<string>;
  registry: ProviderRegistry;
  secrets: SecretStore;
  env: Readonly<Record<string, string | undefined>>;
  modelDirs: string[];
  /** The shipped price table; the user's own prices (model_prices) override it. */
  pricing: ShippedPricing;
  /** Where the audit trail keeps its last row's number and hash, outside the database (AuditRepository). */
  auditHeadFile?: string;
  /** This core (ProcessOwner) and whether another lives: audit rows written ahead and budget reservations name it (absent: none written ahead). */
  owner?: AuditPendingOptions;
  /**
   * True when every configuration dep above reads the store (the repositories, as createCore
   * wires them): a call may then reuse the last call's configuration while nothing has committed
   * since (generationUnchangedSinceLastLook) without asking each of them.
   */
  configFromStore?: boolean;
  /** The response cache's settings (off when absent). */
  responseCache?: () => ResponseCacheSettings;
  /** A budget passed 80 % of its limit (once per budget and period in this process). */
  onBudgetWarning?: (status: BudgetStatus) => void;
  /** Every attempt, after it is recorded (usage accounting and tests listen here), with what the gateway knew of its call. */
  onAttempt?: (record: AttemptRecord, call: AttemptContext) => void;
  /** A provider's status may have changed (breaker, key rejected): the faces re-read it. */
  onStatusChange?: (providerId: string) => void;
  /** Replaced in tests to point adapters at fakes; default: the descriptor's `create`. */
  createProvider?: (config: ProviderConfig, context: ProviderContext) => ManagedProvider | Promise<ManagedProvider>;
  routerOptions?: Partial<RouterOptions>;
}

/**
 * The one way any service calls a model. It owns the router (policy and resilience), the live
 * adapters (created through the provider descriptors on first use, rebuilt when a configuration
 * or key changes), the keys in use, and the per-call bookkeeping: every attempt recorded, costs
 * priced. Services hand it a task and messages; they never see a provider or the router.
 */
export class ModelGateway {
  readonly #deps: ModelGatewayDeps;
  readonly #router: Router;
  readonly #attempts: AttemptRepository;
  readonly #audit: AuditRepository;
  readonly #prices: PriceRepository;
  readonly #adapters: AdapterRegistry;
  readonly #keys: ProviderKeys;
  readonly #controls: GatewayControls;
  /** The user's own prices, read again only when the database changed (cacheUntilChange). */
  readonly #userPrices: () => Map<string, Pricing>;
  #localModelIds: string[] = [];
  /** The last call's configuration and the parts it was made of (#callConfig). */
  #lastCall: { parts: CallParts; config: CallConfig; projectId: string | undefined } | undefined;
  #localModelsVersion = 0;
  /** The models local servers with none named list ("use what the server lists"). */
  readonly #listed: ListedModels;

  constructor(deps: ModelGatewayDeps) {
    this.#deps = deps;
    this.#attempts = new AttemptRepository(deps.db);
    // Audit rows are written with the batch of attempts they go with (one transaction); reads write what is queued first.
    this.#audit = new AuditRepository(deps.db, deps.auditHeadFile, { beforeRead: () => this.#attempts.flush(), ...(deps.owner ? { pending: deps.owner } : {}) });
    const audit = this.#audit;
    this.#attempts.writeAlongside({ pending: () => audit.hasQueued(), write: () => audit.writeQueued(), committed: () => audit.committed(), rolledBack: () => audit.rolledBack() });
    this.#prices = new PriceRepository(deps.db);
    this.#userPrices = cacheUntilChange(deps.db, () => this.#prices.all());
    this.#controls = new GatewayControls({
      db: deps.db,
      attempts: this.#attempts,
      responseCache: deps.responseCache ?? (() => cacheOff),
      onBudgetWarning: deps.onBudgetWarning,
      owner: deps.owner,
      ...(deps.routerOptions?.now ? { now: deps.routerOptions.now } : {}),
      provider: (providerId) => deps.providers().find((provider) => provider.id === providerId),
    });
    this.#keys = new ProviderKeys({ registry: deps.registry, secrets: deps.secrets, env: deps.env, onChanged: (id) => this.#router.clearKeyRejected(id) });
    this.#listed = new ListedModels({ listsFromServer: (type) => ['server', 'server-or-configured'].includes(deps.registry.listsModels(type) ?? '') });
    this.#adapters = new AdapterRegistry({
      create: deps.createProvider ?? ((config, context) => deps.registry.get(config.type).create(config, context)),
      modelDirs: deps.modelDirs,
    });
    this.#router = new Router(
      {
        providers: deps.providers,
        routing: deps.routing,
        ...(deps.strategies ? { strategies: deps.strategies } : {}),
        privacyMode: deps.privacyMode,
        provider: (config) => this.#adapters.getNow(config, this.#keys.get(config.id)?.key),
        defaultModel: (config) =>
          config.models[0] ?? this.#listed.first(config) ?? (deps.registry.has(config.type) && deps.registry.get(config.type).localModelFiles ? this.#localModelIds[0] : undefined),
        hasKey: (config) => !deps.registry.needsKey(config) || this.#keys.get(config.id) !== undefined,
        recentLatencies: (sinceMs) => this.#attempts.latencySamples(sinceMs),
        recordAttempt: (record) => {
          this.#attempts.insert(record);
          if (record.egress) this.#audit.queue({ ...auditEntryFor(record, record.egress, this.#hostOf(record.providerId)), outcome: record.outcome, bytesReceived: record.egress.bytesReceived });
          if (deps.onAttempt) {
            const last = this.#lastCall;
            const provider = last?.parts.providers.find((each) => each.id === record.providerId);
            deps.onAttempt(record, last ? { generation: last.parts.controls.generation, providerType: provider?.type } : {});
          }
        },
        sending: (attempt) => {
          try {
            this.#audit.sending(auditEntryFor(attempt, attempt.egress, this.#hostOf(attempt.providerId)));
          } catch (error) {
            throw new ProviderError(attempt.providerId, 'unavailable', `nothing was sent: the audit trail cannot be written (${error instanceof Error ? error.message : String(error)})`, { cause: error });
          }
        },
        pricing: (_providerId, model) => this.price(model),
        ...(deps.onStatusChange ? { onStatusChange: deps.onStatusChange } : {}),
      },
      deps.routerOptions,
    );
  }

  /**
   * Every model call: its configuration is read in one look at the store (#callConfig), keys are
   * resolved, then the router decides and records each attempt. With nothing to resolve or find
   * (local providers need no key) the router's promise is handed back as it is (no await, no
   * layer of promises of the gateway's own). A failure is a rejected promise, never a throw.
   */
  chat(request: RouteRequest): Promise<RouteResult> {
    try {
      const config = this.#callConfig(request.projectId);
      const { providers } = config;
      if (this.#keys.stale(providers) || this.#needsLocalModels(providers) || this.#listed.stale(providers)) return this.#prepareAndChat(request, config);
      return this.#router.chat(request, config);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #prepareAndChat(request: RouteRequest, config: CallConfig): Promise<RouteResult> {
    await this.#prepare(config.providers, request.signal);
    return this.#router.chat(request, config);
  }

  /** Keys resolved, the GGUFs looked for once, and the models of local servers naming none listed (bounded, kept a minute). */
  async #prepare(providers: ProviderConfig[], signal?: AbortSignal): Promise<void> {
    if (this.#keys.stale(providers)) await this.#keys.refresh(providers, { optional: 'once' });
    if (this.#needsLocalModels(providers)) {
      // A llama.cpp provider without a named model uses the first GGUF found (names only, no headers read).
      this.#localModelIds = (await findLocalModelFiles(this.#deps.modelDirs)).map((model) => model.id);
      this.#localModelsVersion += 1;
    }
    if (this.#listed.stale(providers)) await this.#listed.refresh(providers, (provider) => this.instance(provider), signal);
  }

  /** No GGUF looked for yet, and a llama.cpp provider names no model (it uses the first found). */
  #needsLocalModels(providers: readonly ProviderConfig[]): boolean {
    return this.#localModelIds.length === 0 && providers.some((p) => p.models.length === 0 && this.#deps.registry.has(p.type) && this.#deps.registry.get(p.type).localModelFiles);
  }

  /**
   * What one call is routed by: providers, routing, strategies, the privacy mode, the user's
   * prices and the controls' settings, as of one moment. The repositories keep their parsed rows
   * until the configuration changes, so this costs one look at the configuration's generation
   * (readOnlyAtOnce); when every part is the very object it was for the last call, that call's
   * configuration is handed out again.
   */
  #callConfig(projectId?: string): CallConfig {
    // Every part read from the store at the generation last read, and nothing committed since: the last call's configuration holds.
    const last = this.#lastCall;
    if (this.#deps.configFromStore && last && last.projectId === projectId && generationUnchangedSinceLastLook(this.#deps.db) === last.parts.controls.generation) return last.config;
    return readOnlyAtOnce(this.#deps.db, () => {
      const generation = configGeneration(this.#deps.db);
      const parts: CallParts = {
        keptLocal: projectId !== undefined && this.#deps.localOnlyProjects?.().has(projectId) === true,
        guard: this.#deps.privacyGuard?.(),
        providers: this.#deps.providers(),
        routing: this.#deps.routing(),
        strategies: this.#deps.strategies?.(),
        privacyMode: this.#deps.privacyMode(),
        userPrices: this.#userPrices(),
        controls: this.#controls.snapshot(generation),
      };
      if (last && sameParts(last.parts, parts)) {
        this.#lastCall = { ...last, projectId };
        return last.config;
      }
      const { keptLocal, guard, userPrices } = parts;
      const shipped = this.#deps.pricing.prices;
      const config: CallConfig = {
        ...(keptLocal ? { privacyScope: 'project' as const } : {}),
        redaction: guard?.enabled ? { kinds: guard.kinds, terms: guard.terms } : undefined,
        controls: this.#controls.forCall(parts.controls, parts.providers),
        providers: parts.providers,
        routing: parts.routing,
        strategies: parts.strategies,
        privacyMode: keptLocal ? 'local-only' : parts.privacyMode,
        pricing: (_providerId: string, model: string) => userPrices.get(model) ?? shipped.get(model),
        // Monotonic counters, so their sum moves whenever one does: keys, listed models, GGUFs found.
        planVersion: () => this.#keys.version + this.#listed.version + this.#localModelsVersion,
      };
      this.#lastCall = { parts, config, projectId };
      return config;
    });
  }

  /**
   * The targets each task would be tried on now, in order, with the reason for each (Router.plan,
   * a rejected key included); no call is made. Keys and listed models are refreshed once for all.
   */
  async plan(tasks: readonly TaskKind[]): Promise<Candidate[][]> {
    // As for a call: a local server with no model named answers with the first it lists.
    await this.#prepare(this.#deps.providers());
    return tasks.map((task) =>
      this.#router.plan(task).map((candidate) =>
        !candidate.skip && candidate.config && this.#router.isKeyRejected(candidate.config.id) ? { ...candidate, skip: `the key for "${candidate.config.id}" was rejected (401/403); update it in Providers` } : candidate,
      ),
    );
  }

  /** The context window of the target a task would be sent to now (prompts are sized for it). */
  async contextWindow(task: TaskKind, signal?: AbortSignal, projectId?: string): Promise<number | undefined> {
    return (await this.promptBudget(task, signal, projectId))?.contextLength;
  }

  /**
   * What a prompt for this task may take: the window of the target it would go to now, learned
   * from that target's server before the first call where it can say (bounded in time, cached),
   * and the count of tokens by that target's tokenizer where the provider has one.
   */
  async promptBudget(task: TaskKind, signal?: AbortSignal, projectId?: string): Promise<TargetTokens | undefined> {
    const providers = this.#deps.providers();
    await this.#keys.refresh(providers);
    if (this.#listed.stale(providers)) await this.#listed.refresh(providers, (provider) => this.instance(provider), signal);
    // A project kept local is sized for the local target its calls will go to.
    return (await this.#router.contextWindow(task, signal, projectId === undefined ? undefined : this.#callConfig(projectId)))?.tokens;
  }

  /** The live adapter for a configuration and its current key (loaded on first use). */
  instance(config: ProviderConfig): Promise<ManagedProvider> {
    return this.#adapters.get(config, this.#keys.get(config.id)?.key);
  }

  /** Resolves the keys of these providers now (keychain, environment); never returns them. */
  refreshKeys(configs: ProviderConfig[]): Promise<void> {
    return this.#keys.refresh(configs);
  }

  /** Where the key in use came from (for the status), undefined when there is none. */
  keyOf(providerId: string): ResolvedApiKey | undefined {
    return this.#keys.get(providerId);
  }

  forgetKey(providerId: string): void {
    this.#keys.forget(providerId);
  }

  setLocalModelIds(ids: string[]): void {
    this.#localModelsVersion += 1;
    this.#localModelIds = ids;
  }

  breakerStates(): { providerId: string; model: string; state: BreakerState }[] {
    return this.#router.breakerStates();
  }

  isKeyRejected(providerId: string): boolean {
    return this.#router.isKeyRejected(providerId);
  }

  /** A new key was saved or a check succeeded: give the provider another chance. */
  clearKeyRejected(providerId: string): void {
    this.#router.clearKeyRejected(providerId);
  }

  /**
   * The host a provider's requests go to, for the audit trail (as configured for the last call,
   * else now). A request leaving the machine is written ahead (`sending`, committed before it is
   * sent); when its attempt ends its row is queued and written with the batch its attempt is
   * written in (one transaction, within 100 ms), replacing the one written ahead.
   */
  #hostOf(providerId: string): string {
    const config = this.#lastCall?.parts.providers.find((provider) => provider.id === providerId) ?? this.#deps.providers().find((provider) => provider.id === providerId);
    return config ? this.#deps.registry.host(config) : 'an unknown host';
  }

  get audit(): AuditRepository {
    return this.#audit;
  }

  /** Budgets, the response cache and the shared rate windows. */
  get controls(): GatewayControls {
    return this.#controls;
  }

  get attempts(): AttemptRepository {
    return this.#attempts;
  }

  get prices(): PriceRepository {
    return this.#prices;
  }

  /** The price of a model: the user's own, else the shipped table's; undefined when unknown. */
  price(model: string): Pricing | undefined {
    return this.#userPrices().get(model) ?? this.#deps.pricing.prices.get(model);
  }

  /** Shipped prices merged with the user's, the user's winning, sorted by model. */
  priceList(): { asOf: string; prices: (Pricing & { model: string; source: 'shipped' | 'custom' })[] } {
    const merged = new Map<string, Pricing & { model: string; source: 'shipped' | 'custom' }>();
    for (const [model, price] of this.#deps.pricing.prices) merged.set(model, { model, ...price, source: 'shipped' });
    for (const [model, price] of this.#prices.all()) merged.set(model, { model, ...price, source: 'custom' });
    return { asOf: this.#deps.pricing.asOf, prices: [...merged.values()].sort((a, b) => a.model.localeCompare(b.model)) };
  }

  /** Releases one provider's adapter (it was removed). */
  release(providerId: string): Promise<void> {
    return this.#adapters.dispose(providerId);
  }

  /** Writes queued attempts and releases every adapter (a loaded llama.cpp model). */
  async close(): Promise<void> {
    this.#controls.close();
    this.#attempts.flush();
    this.#controls.cache.flush();
    this.#audit.flush();
    await this.#adapters.disposeAll();
  }
}

/** The response cache's settings without a `responseCache` dep: off (one object, so calls' configurations compare equal). */
const cacheOff: ResponseCacheSettings = Object.freeze({ enabled: false, ttlHours: 1, maxMegabytes: 1 });

/** What a call's configuration is made of, each as its repository handed it out (#callConfig). */
interface CallParts {
  keptLocal: boolean;
  guard: PrivacyGuard | undefined;
  providers: ProviderConfig[];
  routing: Routing;
  strategies: RoutingStrategies | undefined;
  privacyMode: PrivacyMode;
  userPrices: Map<string, Pricing>;
  controls: ControlsSnapshot;
}

/**
 * The repositories hand out fresh copies of their cached lists and maps whose entries are the
 * cached (frozen) objects themselves: compared one level down.
 */
function sameParts(a: CallParts, b: CallParts): boolean {
  return (
    a.keptLocal === b.keptLocal &&
    a.guard === b.guard &&
    shallowEqual(a.providers, b.providers) &&
    shallowEqual(a.routing, b.routing) &&
    shallowEqual(a.strategies, b.strategies) &&
    a.privacyMode === b.privacyMode &&
    a.userPrices === b.userPrices &&
    a.controls.generation === b.controls.generation &&
    a.controls.cache === b.controls.cache &&
    a.controls.budgets === b.controls.budgets
  );
}

function shallowEqual(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key]);
}
