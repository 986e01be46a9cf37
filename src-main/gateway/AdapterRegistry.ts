import { createHash } from 'node:crypto';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { ManagedProvider, ProviderContext } from '../providers/descriptors/ProviderDescriptor.ts';

/**
 * The live adapters, one per provider, each created for a configuration and key (its signature)
 * and rebuilt, the old one disposed, when either changes. Creation is asynchronous (the adapter's
 * module is imported on first use); concurrent first calls share one creation.
 */
export class AdapterRegistry {
  readonly #create: (config: ProviderConfig, context: ProviderContext) => ManagedProvider | Promise<ManagedProvider>;
  readonly #modelDirs: string[];
  readonly #instances = new Map<string, { signature: string; provider: Promise<ManagedProvider>; config: ProviderConfig; apiKey: string | undefined; live?: ManagedProvider }>();

  constructor(deps: { create: (config: ProviderConfig, context: ProviderContext) => ManagedProvider | Promise<ManagedProvider>; modelDirs: string[] }) {
    this.#create = deps.create;
    this.#modelDirs = deps.modelDirs;
  }

  /**
   * The adapter itself when it is created already for this very configuration object and key
   * (the store's frozen one, as on every model call), else `get`'s promise: a call then needs no
   * turn of the event loop to have it.
   */
  getNow(config: ProviderConfig, apiKey: string | undefined): ManagedProvider | Promise<ManagedProvider> {
    const existing = this.#instances.get(config.id);
    if (existing?.live && existing.config === config && Object.isFrozen(config) && existing.apiKey === apiKey) return existing.live;
    return this.get(config, apiKey);
  }

  get(config: ProviderConfig, apiKey: string | undefined): Promise<ManagedProvider> {
    const existing = this.#instances.get(config.id);
    // Every call asks: the same frozen configuration object (the store hands out its cached one)
    // and the same key need no signature.
    if (existing && existing.config === config && Object.isFrozen(config) && existing.apiKey === apiKey) return existing.provider;
    const signature = JSON.stringify([config, apiKey ? hashKey(apiKey) : null]);
    if (existing && existing.signature === signature) {
      existing.config = config;
      existing.apiKey = apiKey;
      return existing.provider;
    }
    if (existing) void disposeQuietly(existing.provider);
    const provider = (async () => this.#create(config, { apiKey, modelDirs: this.#modelDirs }))();
    const entry: { signature: string; provider: Promise<ManagedProvider>; config: ProviderConfig; apiKey: string | undefined; live?: ManagedProvider } = { signature, provider, config, apiKey };
    this.#instances.set(config.id, entry);
    provider.then(
      (live) => {
        entry.live = live;
      },
      // A creation that failed (adapter module missing) is tried again on the next call.
      () => {
        if (this.#instances.get(config.id) === entry) this.#instances.delete(config.id);
      },
    );
    return provider;
  }

  async dispose(id: string): Promise<void> {
    const existing = this.#instances.get(id);
    this.#instances.delete(id);
    if (existing) await disposeQuietly(existing.provider);
  }

  async disposeAll(): Promise<void> {
    await Promise.all([...this.#instances.keys()].map((id) => this.dispose(id)));
  }
}

async function disposeQuietly(provider: Promise<ManagedProvider>): Promise<void> {
  const instance = await provider.catch(() => undefined);
  await instance?.dispose?.();
}

/** Only to notice that the key changed; the instance map never leaves the process. */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
