import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/AppError.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { ProviderStatus } from '../../src-shared/domain/providerStatus.ts';
import type { PrivacyMode } from '../../src-shared/domain/settings.ts';
import type { EventBus } from '../events/EventBus.ts';
import { Router, type Pricing, type RouteRequest, type RouteResult, type RouterOptions } from '../router/Router.ts';
import { resolveApiKey, type ResolvedApiKey } from '../secrets/resolveApiKey.ts';
import { knownSecrets } from '../secrets/knownSecrets.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import { AttemptRepository } from '../store/AttemptRepository.ts';
import { ProviderRepository, type StoredProviders } from '../store/ProviderRepository.ts';
import { RoutingRepository } from '../store/RoutingRepository.ts';
import { createProvider, type ManagedProvider, type ProviderContext } from './createProvider.ts';
import type { ShippedPricing } from './loadPricing.ts';
import { PriceRepository } from '../store/PriceRepository.ts';
import type { HealthStatus } from './LlmProvider.ts';
import { describeProviderStatus } from './describeProviderStatus.ts';
import { findLocalModelFiles } from './localModels.ts';
import { needsKey } from './needsKey.ts';
import { providerHost } from './providerHost.ts';

/** Re-exported for the callers that have always found it here. */
export { needsKey } from './needsKey.ts';

export interface ProviderServiceDeps {
  db: Database;
  bus: EventBus;
  secrets: SecretStore;
  env: Readonly<Record<string, string | undefined>>;
  modelDirs: string[];
  privacyMode: () => PrivacyMode;
  /** The shipped price table; the user's own prices (model_prices) override it. */
  pricing: ShippedPricing;
  /** Replaced in tests to point adapters at fakes; defaults to the real adapters. */
  createProvider?: (config: ProviderConfig, context: ProviderContext) => ManagedProvider;
  routerOptions?: Partial<RouterOptions>;
  healthTimeoutMs?: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Providers as the rest of the app sees them: configuration (SQLite), keys (keychain or the
 * environment, resolved here and never returned), live adapters (created on demand, rebuilt when
 * the configuration or key changes), their status, and the router over them.
 */
export class ProviderService {
  readonly router: Router;
  readonly #deps: ProviderServiceDeps;
  readonly #repository: ProviderRepository;
  readonly #routing: RoutingRepository;
  readonly #attempts: AttemptRepository;
  readonly #prices: PriceRepository;
  readonly #instances = new Map<string, { signature: string; provider: ManagedProvider }>();
  readonly #keys = new Map<string, ResolvedApiKey | undefined>();
  readonly #health = new Map<string, { result: HealthStatus; at: string }>();
  readonly #checking = new Set<string>();
  #localModelIds: string[] = [];
  #closed = false;

  constructor(deps: ProviderServiceDeps) {
    this.#deps = deps;
    this.#repository = new ProviderRepository(deps.db);
    this.#routing = new RoutingRepository(deps.db);
    this.#attempts = new AttemptRepository(deps.db);
    this.#prices = new PriceRepository(deps.db);
    this.router = new Router(
      {
        providers: () => this.#repository.list().providers,
        routing: () => this.#routing.get(),
        strategies: () => this.#routing.strategies(),
        privacyMode: deps.privacyMode,
        provider: (config) => this.instance(config),
        defaultModel: (config) => config.models[0] ?? (config.type === 'llama-cpp' ? this.#localModelIds[0] : undefined),
        hasKey: (config) => !needsKey(config) || this.#keys.get(config.id) !== undefined,
        recordAttempt: (record) => this.#attempts.insert(record),
        pricing: (_providerId, model) => this.#prices.all().get(model) ?? deps.pricing.prices.get(model),
        onStatusChange: (id) => deps.bus.emit('providers.changed', { id }),
      },
      deps.routerOptions,
    );
  }

  get attempts(): AttemptRepository {
    return this.#attempts;
  }

  get routing(): RoutingRepository {
    return this.#routing;
  }

  get prices(): PriceRepository {
    return this.#prices;
  }

  /** Shipped prices merged with the user's, the user's winning, sorted by model. */
  priceList(): { asOf: string; prices: (Pricing & { model: string; source: 'shipped' | 'custom' })[] } {
    const custom = this.#prices.all();
    const merged = new Map<string, Pricing & { model: string; source: 'shipped' | 'custom' }>();
    for (const [model, price] of this.#deps.pricing.prices) merged.set(model, { model, ...price, source: 'shipped' });
    for (const [model, price] of custom) merged.set(model, { model, ...price, source: 'custom' });
    return { asOf: this.#deps.pricing.asOf, prices: [...merged.values()].sort((a, b) => a.model.localeCompare(b.model)) };
  }

  stored(): StoredProviders {
    return this.#repository.list();
  }

  /** Every model call: keys are resolved first, then the router decides. */
  async chat(request: RouteRequest): Promise<RouteResult> {
    const providers = this.#repository.list().providers;
    await this.#refreshKeys(providers);
    if (this.#localModelIds.length === 0 && providers.some((p) => p.type === 'llama-cpp' && p.models.length === 0)) {
      // A llama.cpp provider without a named model uses the first GGUF found (names only, no headers read).
      this.#localModelIds = (await findLocalModelFiles(this.#deps.modelDirs)).map((model) => model.id);
    }
    return this.router.chat(request);
  }

  setLocalModelIds(ids: string[]): void {
    this.#localModelIds = ids;
  }

  /**
   * Providers with their status. Ones never checked are checked now (in the background unless
   * `awaitChecks`), except cloud providers in local-only mode: nothing is sent to the cloud
   * unless the user asks ("Test connection") or the mode allows it.
   */
  async list(options: { awaitChecks?: boolean } = {}): Promise<{ providers: ProviderStatus[]; invalid: StoredProviders['invalid'] }> {
    const stored = this.#repository.list();
    await this.#refreshKeys(stored.providers);
    const mode = this.#deps.privacyMode();
    const checks: Promise<unknown>[] = [];
    for (const config of stored.providers) {
      if (this.#health.has(config.id) || this.#checking.has(config.id) || !config.enabled) continue;
      if (config.location === 'cloud' && mode === 'local-only') continue;
      if (needsKey(config) && !this.#keys.get(config.id)) continue;
      this.#checking.add(config.id);
      checks.push(
        this.#check(config.id)
          .catch(() => undefined)
          .finally(() => this.#checking.delete(config.id)),
      );
    }
    if (options.awaitChecks) await Promise.all(checks);
    return { providers: stored.providers.map((config) => this.#status(config)), invalid: stored.invalid };
  }

  /**
   * The key is stored first: when the keychain refuses it, nothing is saved at all. The new
   * provider is checked only where the privacy mode lets it be contacted (see #checkIfAllowed).
   */
  async add(config: ProviderConfig, apiKey?: string): Promise<ProviderStatus> {
    if (this.#repository.list().providers.some((provider) => provider.id === config.id)) {
      throw new AppError('CONFLICT', `A provider with id "${config.id}" already exists`);
    }
    knownSecrets.add(apiKey);
    if (apiKey !== undefined) await this.#deps.secrets.set(config.id, apiKey);
    this.#repository.add(config);
    this.#deps.bus.emit('providers.changed', { id: config.id });
    return this.#checkIfAllowed(config.id);
  }

  async update(config: ProviderConfig): Promise<ProviderStatus> {
    this.#repository.update(config);
    // The last check was of the old configuration.
    this.#health.delete(config.id);
    this.#deps.bus.emit('providers.changed', { id: config.id });
    return this.#checkIfAllowed(config.id);
  }

  async remove(id: string): Promise<void> {
    this.#repository.remove(id);
    await this.#dispose(id);
    this.#keys.delete(id);
    this.#health.delete(id);
    // The key goes with the provider; a keychain that is unavailable now cannot hold it anyway.
    await this.#deps.secrets.delete(id).catch(() => false);
    this.#deps.bus.emit('providers.changed', { id });
  }

  /** Saves the key in the keychain and checks it live where the privacy mode allows that. */
  async setKey(id: string, apiKey: string): Promise<ProviderStatus> {
    this.#repository.get(id);
    knownSecrets.add(apiKey);
    await this.#deps.secrets.set(id, apiKey);
    this.router.clearKeyRejected(id);
    this.#health.delete(id);
    return this.#checkIfAllowed(id);
  }

  async removeKey(id: string): Promise<ProviderStatus> {
    this.#repository.get(id);
    await this.#deps.secrets.delete(id);
    this.#keys.delete(id);
    this.#health.delete(id);
    this.#deps.bus.emit('providers.changed', { id });
    return this.#checkIfAllowed(id);
  }

  /**
   * Whether the privacy mode lets anything be sent to this provider. Local-only mode promises
   * that cloud providers are never contacted, not even for a health check.
   */
  mayContact(config: ProviderConfig): boolean {
    return !(config.location === 'cloud' && this.#deps.privacyMode() === 'local-only');
  }

  /**
   * The explicit check ("Test connection", `providers test`): a live request to the provider's
   * host. Refused for a cloud provider in Local-only mode, with the host it would have contacted
   * and how to allow it; nothing is sent.
   */
  async test(id: string): Promise<ProviderStatus> {
    const config = this.#repository.get(id);
    if (!this.mayContact(config)) {
      throw new AppError(
        'BLOCKED_BY_PRIVACY_MODE',
        `Checking ${config.label} would contact ${providerHost(config)}, a cloud provider, and the privacy mode is Local only, which sends nothing to cloud providers. To check it, switch the privacy mode (at the top of Providers) to Local first or Cloud allowed.`,
      );
    }
    return this.#check(id);
  }

  /** After a change: a live check where the privacy mode allows contact, else the status as it stands. */
  async #checkIfAllowed(id: string): Promise<ProviderStatus> {
    const config = this.#repository.get(id);
    if (this.mayContact(config)) return this.#check(id);
    await this.#refreshKeys([config]);
    return this.#status(config);
  }

  async #check(id: string): Promise<ProviderStatus> {
    if (this.#closed) throw new AppError('INTERNAL', 'The provider service is closed');
    const config = this.#repository.get(id);
    await this.#refreshKeys([config]);
    let result: HealthStatus;
    if (needsKey(config) && !this.#keys.get(id)) {
      result = { ok: false, code: 'no-key', detail: 'No API key: add one, or set the environment variable' };
    } else {
      const signal = AbortSignal.timeout(this.#deps.healthTimeoutMs ?? 10_000);
      try {
        result = await this.instance(config).health(signal);
      } catch (error) {
        result = { ok: false, code: 'unreachable', detail: scrubSecrets(error instanceof Error ? error.message : String(error)) };
      }
    }
    if (result.ok) this.router.clearKeyRejected(id);
    if (this.#closed) return this.#status(config);
    this.#health.set(id, { result, at: new Date().toISOString() });
    this.#deps.bus.emit('providers.changed', { id });
    return this.#status(config);
  }

  /** The live adapter for a configuration, rebuilt when the configuration or its key changed. */
  instance(config: ProviderConfig): ManagedProvider {
    const apiKey = this.#keys.get(config.id)?.key;
    const signature = JSON.stringify([config, apiKey ? hashKey(apiKey) : null]);
    const existing = this.#instances.get(config.id);
    if (existing && existing.signature === signature) return existing.provider;
    if (existing) void existing.provider.dispose?.();
    const create = this.#deps.createProvider ?? createProvider;
    const provider = create(config, { apiKey, modelDirs: this.#deps.modelDirs });
    this.#instances.set(config.id, { signature, provider });
    return provider;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#attempts.flush();
    await Promise.all([...this.#instances.keys()].map((id) => this.#dispose(id)));
  }

  async #dispose(id: string): Promise<void> {
    const existing = this.#instances.get(id);
    this.#instances.delete(id);
    await existing?.provider.dispose?.();
  }

  async #refreshKeys(configs: ProviderConfig[]): Promise<void> {
    for (const config of configs) {
      if (!needsKey(config)) continue;
      try {
        this.#keys.set(config.id, await resolveApiKey({ providerId: config.id, type: config.type, apiKeyEnv: config.apiKeyEnv }, this.#deps.secrets, this.#deps.env as Env));
      } catch {
        // Keychain unavailable and no environment variable: the provider shows "not configured".
        this.#keys.set(config.id, undefined);
      }
    }
  }

  #status(config: ProviderConfig): ProviderStatus {
    return describeProviderStatus({
      config,
      key: this.#keys.get(config.id),
      health: this.#health.get(config.id),
      breakers: this.router
        .breakerStates()
        .filter((breaker) => breaker.providerId === config.id)
        .map(({ model, state }) => ({ model, state })),
      keyRejected: this.router.isKeyRejected(config.id),
      mayContact: this.mayContact(config),
    });
  }
}

/** Only to notice that the key changed; the instance map never leaves the process. */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
