import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { ProviderRegistry } from '../providers/descriptors/ProviderRegistry.ts';
import { resolveApiKey, type ResolvedApiKey } from '../secrets/resolveApiKey.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';

interface ProviderKeysDeps {
  registry: ProviderRegistry;
  secrets: SecretStore;
  env: Readonly<Record<string, string | undefined>>;
  /** A provider's key changed since it was last resolved here (a rejected key replaced: the provider gets another chance). */
  onChanged?: (providerId: string) => void;
}

/**
 * The API keys in use, per provider, resolved from the environment and the keychain before each
 * call and status (resolveApiKey's precedence); held in memory only, never returned to a face.
 */
export class ProviderKeys {
  readonly #deps: ProviderKeysDeps;
  readonly #keys = new Map<string, ResolvedApiKey | undefined>();
  #version = 0;

  constructor(deps: ProviderKeysDeps) {
    this.#deps = deps;
  }

  /**
   * Resolves the keys of `configs`: every one a provider needs, and the one a local server may be
   * given (from its own variable or the keychain, never the type's conventional variable: a
   * developer's OPENAI_API_KEY is not sent to a box on the LAN). `optional: 'once'` (a model
   * call) resolves a local server's key only when it is not known yet in this process (it needs
   * none, and asking the keychain on every call would cost each call); a face asking for the
   * status, and a key set or removed here (forget), look again.
   */
  async refresh(configs: ProviderConfig[], options: { optional?: 'always' | 'once' } = {}): Promise<void> {
    for (const config of configs) {
      const required = this.#deps.registry.needsKey(config);
      if (!required && (!this.#deps.registry.takesKey(config) || (options.optional === 'once' && this.#keys.has(config.id)))) continue;
      try {
        const defaultEnv = required ? this.#deps.registry.envVar(config.type) : undefined;
        this.#set(config.id, await resolveApiKey({ providerId: config.id, defaultEnv, apiKeyEnv: config.apiKeyEnv }, this.#deps.secrets, this.#deps.env));
      } catch {
        // Keychain unavailable and no environment variable: the provider shows "not configured".
        this.#set(config.id, undefined);
      }
    }
  }

  /** Whether a call must resolve keys first: a provider needs one (looked up on every call), or a local server's is not known yet. */
  stale(configs: readonly ProviderConfig[]): boolean {
    return configs.some((config) => this.#deps.registry.needsKey(config) || (this.#deps.registry.takesKey(config) && !this.#keys.has(config.id)));
  }

  /** Moves whenever a provider's key came, went or changed: which providers have one is as of it. */
  get version(): number {
    return this.#version;
  }

  #set(providerId: string, resolved: ResolvedApiKey | undefined): void {
    const known = this.#keys.has(providerId);
    const changed = this.#keys.get(providerId)?.key !== resolved?.key;
    if (changed || !known) this.#version += 1;
    this.#keys.set(providerId, resolved);
    // A key another process saved (the CLI, into the keychain or its variable) is found here by the next call's look.
    if (changed && known) this.#deps.onChanged?.(providerId);
  }

  get(providerId: string): ResolvedApiKey | undefined {
    return this.#keys.get(providerId);
  }

  forget(providerId: string): void {
    this.#version += 1;
    this.#keys.delete(providerId);
  }
}
