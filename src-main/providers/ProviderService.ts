import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/AppError.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { ProviderStatus } from '../../src-shared/domain/providerStatus.ts';
import type { ProviderTypeInfo } from '../../src-shared/domain/providerTypeInfo.ts';
import type { PrivacyMode } from '../../src-shared/domain/settings.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { BreakerState } from '../modelCall/modelCallTypes.ts';
import type { ResolvedApiKey } from '../secrets/resolveApiKey.ts';
import { knownSecrets } from '../secrets/knownSecrets.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import { ProviderRepository, type StoredProviders } from '../store/ProviderRepository.ts';
import { RoutingRepository } from '../store/RoutingRepository.ts';
import type { ProviderRegistry } from './descriptors/ProviderRegistry.ts';
import type { HealthStatus, LlmProvider } from './LlmProvider.ts';
import { describeProviderStatus } from './describeProviderStatus.ts';
import { refuseKeysInNames } from './refuseKeysInNames.ts';
import type { KeyCheck } from '../../src-shared/domain/keyCheck.ts';

export interface ProviderServiceDeps {
  db: Database;
  bus: EventBus;
  secrets: SecretStore;
  privacyMode: () => PrivacyMode;
  registry: ProviderRegistry;
  /** The model gateway's live side (adapters, keys in use, breakers): asked, never called back. */
  gateway: LiveProviders;
  healthTimeoutMs?: number;
  /** Where a provider's `apiKeyEnv` is read: its key, pasted into a name by mistake, is refused as one given with it. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * What this service asks of the model gateway (gateway/ModelGateway.ts fits it), declared here so
 * providers/ never imports the layer above it: the composition root hands the gateway in.
 */
export interface LiveProviders {
  instance(config: ProviderConfig): Promise<LlmProvider>;
  refreshKeys(configs: ProviderConfig[]): Promise<void>;
  keyOf(providerId: string): ResolvedApiKey | undefined;
  forgetKey(providerId: string): void;
  clearKeyRejected(providerId: string): void;
  isKeyRejected(providerId: string): boolean;
  breakerStates(): { providerId: string; model: string; state: BreakerState }[];
  release(providerId: string): Promise<void>;
}

/**
 * Providers as the faces see them: configuration (SQLite), keys (saved to the keychain here;
 * resolved by the gateway and never returned), routing, and each provider's status (live checks
 * through the gateway's adapters). Model calls go through the gateway, never through here.
 */
export class ProviderService {
  readonly #deps: ProviderServiceDeps;
  readonly #repository: ProviderRepository;
  readonly #routing: RoutingRepository;
  readonly #health = new Map<string, { result: HealthStatus; at: string }>();
  readonly #checking = new Set<string>();
  #closed = false;

  constructor(deps: ProviderServiceDeps) {
    this.#deps = deps;
    this.#repository = new ProviderRepository(deps.db);
    this.#routing = new RoutingRepository(deps.db);
  }

  get routing(): RoutingRepository {
    return this.#routing;
  }

  stored(): StoredProviders {
    return this.#repository.list();
  }

  /** The provider types this app knows (their descriptors' serialisable part), for the faces. */
  types(): ProviderTypeInfo[] {
    return this.#deps.registry.infos();
  }

  /** Whether a provider of this configuration needs an API key (its type's descriptor says). */
  needsKey(config: ProviderConfig): boolean {
    return this.#deps.registry.needsKey(config);
  }

  /** The host a provider's requests go to, in words, from its configuration alone. */
  host(config: ProviderConfig): string {
    return this.#deps.registry.host(config);
  }

  /** The key in the variable a configuration names (`apiKeyEnv`), which is in use once it is saved. */
  #envKeyOf(config: ProviderConfig): string | undefined {
    return (config.apiKeyEnv === undefined ? undefined : this.#deps.env?.[config.apiKeyEnv]?.trim()) || undefined;
  }

  /**
   * Every stored provider's key looked up (environment, keychain), so that each key in use is
   * known (knownSecrets) before a text the user gives (a project name, a privacy term) is checked
   * for one: a fresh process (a CLI command) has looked up none yet.
   */
  async learnKeysInUse(): Promise<void> {
    await this.#deps.gateway.refreshKeys(this.#repository.list().providers);
  }

  /**
   * Providers with their status. Ones never checked are checked now (in the background unless
   * `awaitChecks`), except cloud providers in local-only mode: nothing is sent to the cloud
   * unless the user asks ("Test connection") or the mode allows it.
   */
  async list(options: { awaitChecks?: boolean } = {}): Promise<{ providers: ProviderStatus[]; invalid: StoredProviders['invalid'] }> {
    const stored = this.#repository.list();
    await this.#deps.gateway.refreshKeys(stored.providers);
    const mode = this.#deps.privacyMode();
    const checks: Promise<unknown>[] = [];
    for (const config of stored.providers) {
      if (this.#health.has(config.id) || this.#checking.has(config.id) || !config.enabled) continue;
      if (config.location === 'cloud' && mode === 'local-only') continue;
      if (this.needsKey(config) && !this.#deps.gateway.keyOf(config.id)) continue;
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
   * The configuration as stored: a type this app does not know is refused in words, and the
   * location is the registry's (ProviderRegistry.location): a vendor's cloud API marked local
   * (an Anthropic provider, an OpenAI one without an address of its own) is stored as cloud, so
   * Local-only mode, a project kept local, the privacy guard and the audit trail all see it as one.
   */
  #located(config: ProviderConfig): ProviderConfig {
    const location = this.#deps.registry.location(config, config.location);
    return location === config.location ? config : { ...config, location };
  }

  /**
   * The key is stored first: when the keychain refuses it, nothing is saved at all. The new
   * provider is checked only where the privacy mode lets it be contacted (see #checkIfAllowed).
   */
  async add(given: ProviderConfig, apiKey?: string): Promise<ProviderStatus> {
    const config = this.#located(given);
    if (this.#repository.list().providers.some((provider) => provider.id === config.id)) {
      throw new AppError('CONFLICT', `A provider with id "${config.id}" already exists`);
    }
    await this.learnKeysInUse();
    refuseKeysInNames(config, apiKey ?? this.#envKeyOf(config));
    knownSecrets.add(apiKey);
    if (apiKey !== undefined) await this.#deps.secrets.set(config.id, apiKey);
    this.#repository.add(config);
    this.#deps.bus.emit('providers.changed', { id: config.id });
    return this.#checkIfAllowed(config.id);
  }

  async update(given: ProviderConfig): Promise<ProviderStatus> {
    const config = this.#located(given);
    await this.learnKeysInUse();
    refuseKeysInNames(config, this.#envKeyOf(config));
    this.#repository.update(config);
    // The last check was of the old configuration.
    this.#health.delete(config.id);
    this.#deps.bus.emit('providers.changed', { id: config.id });
    return this.#checkIfAllowed(config.id);
  }

  async remove(id: string): Promise<void> {
    this.#repository.remove(id);
    await this.#deps.gateway.release(id);
    this.#deps.gateway.forgetKey(id);
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
    this.#deps.gateway.clearKeyRejected(id);
    this.#health.delete(id);
    return this.#checkIfAllowed(id);
  }

  async removeKey(id: string): Promise<ProviderStatus> {
    this.#repository.get(id);
    await this.#deps.secrets.delete(id);
    this.#deps.gateway.forgetKey(id);
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
        `Checking ${config.label} would contact ${this.host(config)}, a cloud provider, and the privacy mode is Local only, which sends nothing to cloud providers. To check it, switch the privacy mode (at the top of Providers) to Local first or Cloud allowed.`,
      );
    }
    return this.#check(id);
  }

  /**
   * "Check key" before saving: lists the models of this (unsaved) configuration with the typed key,
   * through a throwaway adapter; nothing is stored. Refused like `test` where the privacy mode
   * forbids contact, naming the host; the form says which host before it is asked.
   */
  async checkKey(config: ProviderConfig, apiKey: string | undefined): Promise<KeyCheck> {
    const descriptor = this.#deps.registry.get(config.type);
    const host = this.host(config);
    if (!this.mayContact(config)) {
      throw new AppError(
        'BLOCKED_BY_PRIVACY_MODE',
        `Checking the key would contact ${host}, a cloud provider, and the privacy mode is Local only, which sends nothing to cloud providers. Switch the privacy mode to Local first or Cloud allowed to check it; nothing was sent.`,
      );
    }
    if (apiKey === undefined && this.needsKey(config)) throw new AppError('INVALID_INPUT', 'Type the API key to check it');
    // Loaded on use: it brings the vendors' SDKs (their error classes), which listing projects never needs.
    const { checkKey } = await import('./checkKey.ts');
    return checkKey({ descriptor, config, apiKey, host, timeoutMs: this.#deps.healthTimeoutMs ?? 10_000 });
  }

  /** After a change: a live check where the privacy mode allows contact, else the status as it stands. */
  async #checkIfAllowed(id: string): Promise<ProviderStatus> {
    const config = this.#repository.get(id);
    if (this.mayContact(config)) return this.#check(id);
    await this.#deps.gateway.refreshKeys([config]);
    return this.#status(config);
  }

  async #check(id: string): Promise<ProviderStatus> {
    if (this.#closed) throw new AppError('INTERNAL', 'The provider service is closed');
    const config = this.#repository.get(id);
    await this.#deps.gateway.refreshKeys([config]);
    let result: HealthStatus;
    if (this.needsKey(config) && !this.#deps.gateway.keyOf(id)) {
      result = { ok: false, code: 'no-key', detail: 'No API key: add one, or set the environment variable' };
    } else {
      const signal = AbortSignal.timeout(this.#deps.healthTimeoutMs ?? 10_000);
      try {
        result = await (await this.#deps.gateway.instance(config)).health(signal);
      } catch (error) {
        result = { ok: false, code: 'unreachable', detail: scrubSecrets(error instanceof Error ? error.message : String(error)) };
      }
    }
    if (result.ok) this.#deps.gateway.clearKeyRejected(id);
    if (this.#closed) return this.#status(config);
    this.#health.set(id, { result, at: new Date().toISOString() });
    this.#deps.bus.emit('providers.changed', { id });
    return this.#status(config);
  }

  /** Stops health checks from recording; the gateway releases the adapters. */
  close(): void {
    this.#closed = true;
  }

  #status(config: ProviderConfig): ProviderStatus {
    return describeProviderStatus({
      config,
      needsKey: this.needsKey(config),
      envVar: this.#deps.registry.envVar(config.type),
      host: this.host(config),
      key: this.#deps.gateway.keyOf(config.id),
      health: this.#health.get(config.id),
      breakers: this.#deps.gateway
        .breakerStates()
        .filter((breaker) => breaker.providerId === config.id)
        .map(({ model, state }) => ({ model, state })),
      keyRejected: this.#deps.gateway.isKeyRejected(config.id),
      mayContact: this.mayContact(config),
      listsModels: this.#deps.registry.listsModels(config.type),
    });
  }
}

