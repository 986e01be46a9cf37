import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { LlmProvider } from './LlmProvider.ts';
import { routableModelIds } from './routableModelIds.ts';

export interface ListedModelsOptions {
  /** Whether a provider type lists its models from its server (the descriptor's `listsModels`). */
  listsFromServer: (type: string) => boolean;
  /** How long a list is trusted before it is asked again (a server may load another model). */
  freshMs?: number;
  /** How long after a failed list before it is asked again. */
  retryMs?: number;
  /** The most one list may take: a model call waits for it. */
  timeoutMs?: number;
  now?: () => number;
}

interface Entry {
  /** The configuration the list was asked for: another address or type is asked again. */
  source: string;
  models: string[];
  at: number;
  failed: boolean;
}

/**
 * "Use what the server lists": the model list of each local server with no model named, so that
 * the router has a model for it (the first listed). Only local providers: a cloud vendor's list
 * is everything it sells, never a choice, and listing it would contact the cloud unasked.
 * Lists are asked together, bounded in time, kept for a while; a failed one is retried later and
 * leaves the provider without a model (the router says so).
 */
export class ListedModels {
  #version = 0;
  readonly #options: ListedModelsOptions;
  readonly #entries = new Map<string, Entry>();
  #inFlight: Promise<void> | undefined;

  constructor(options: ListedModelsOptions) {
    this.#options = options;
  }

  /** Whether this provider's model comes from its server's list. */
  wants(config: ProviderConfig): boolean {
    return config.enabled && config.models.length === 0 && config.location === 'local' && this.#options.listsFromServer(config.type);
  }

  /** Whether some provider's list is missing or old (checked without awaiting, so a call with none pays nothing). */
  stale(providers: readonly ProviderConfig[]): boolean {
    return providers.some((config) => this.wants(config) && this.#isStale(config));
  }

  #isStale(config: ProviderConfig): boolean {
    const entry = this.#entries.get(config.id);
    if (!entry || entry.source !== sourceOf(config)) return true;
    const age = (this.#options.now ?? Date.now)() - entry.at;
    // Below 0: the clock was set back since; how old the list is cannot be told, so it is asked again.
    return age < 0 || age >= (entry.failed ? (this.#options.retryMs ?? 10_000) : (this.#options.freshMs ?? 60_000));
  }

  /** Asks every stale list (together, each bounded); concurrent callers share one round. */
  async refresh(providers: readonly ProviderConfig[], adapter: (config: ProviderConfig) => Promise<LlmProvider>, signal?: AbortSignal): Promise<void> {
    if (this.#inFlight) return this.#inFlight;
    const due = providers.filter((config) => this.wants(config) && this.#isStale(config));
    if (due.length === 0) return;
    this.#inFlight = Promise.all(due.map((config) => this.#ask(config, adapter, signal))).then(
      () => undefined,
      () => undefined,
    );
    try {
      await this.#inFlight;
    } finally {
      this.#inFlight = undefined;
      this.#version += 1;
    }
  }

  /** Moves whenever the lists may have changed (a refresh ran): what `first` answers is as of it. */
  get version(): number {
    return this.#version;
  }


  async #ask(config: ProviderConfig, adapter: (config: ProviderConfig) => Promise<LlmProvider>, signal: AbortSignal | undefined): Promise<void> {
    const bound = AbortSignal.timeout(this.#options.timeoutMs ?? 3_000);
    const at = (this.#options.now ?? Date.now)();
    try {
      const models = await (await adapter(config)).listModels(signal ? AbortSignal.any([signal, bound]) : bound);
      this.#entries.set(config.id, { source: sourceOf(config), models: routableModelIds(models.map((model) => model.id)), at, failed: false });
    } catch {
      this.#entries.set(config.id, { source: sourceOf(config), models: [], at, failed: true });
    }
  }

  /** The model a provider with none named uses: the first its server listed; undefined when none. */
  first(config: ProviderConfig): string | undefined {
    if (!this.wants(config)) return undefined;
    const entry = this.#entries.get(config.id);
    return entry?.source === sourceOf(config) ? entry.models[0] : undefined;
  }
}

function sourceOf(config: ProviderConfig): string {
  return `${config.type} ${config.baseUrl ?? ''}`;
}
