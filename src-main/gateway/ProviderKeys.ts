import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { ProviderRegistry } from '../providers/descriptors/ProviderRegistry.ts';
import { resolveApiKey, type ResolvedApiKey } from '../secrets/resolveApiKey.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';

/**
 * The API keys in use, per provider, resolved from the environment and the keychain before each
 * call and status (resolveApiKey's precedence); held in memory only, never returned to a face.
 */
export class ProviderKeys {
  readonly #deps: { registry: ProviderRegistry; secrets: SecretStore; env: Readonly<Record<string, string | undefined>> };
  readonly #keys = new Map<string, ResolvedApiKey | undefined>();
  #version = 0;

  constructor(deps: { registry: ProviderRegistry; secrets: SecretStore; env: Readonly<Record<string, string | undefined>> }) {
    this.#deps = deps;
  }

  async refresh(configs: ProviderConfig[]): Promise<void> {
    for (const config of configs) {
      if (!this.#deps.registry.needsKey(config)) continue;
      try {
        this.#set(
          config.id,
          await resolveApiKey({ providerId: config.id, defaultEnv: this.#deps.registry.envVar(config.type), apiKeyEnv: config.apiKeyEnv }, this.#deps.secrets, this.#deps.env),
        );
      } catch {
        // Keychain unavailable and no environment variable: the provider shows "not configured".
        this.#set(config.id, undefined);
      }
    }
  }

  /** Moves whenever a provider's key came, went or changed: which providers have one is as of it. */
  get version(): number {
    return this.#version;
  }

  #set(providerId: string, resolved: ResolvedApiKey | undefined): void {
    if (this.#keys.get(providerId)?.key !== resolved?.key || !this.#keys.has(providerId)) this.#version += 1;
    this.#keys.set(providerId, resolved);
  }

  get(providerId: string): ResolvedApiKey | undefined {
    return this.#keys.get(providerId);
  }

  forget(providerId: string): void {
    this.#version += 1;
    this.#keys.delete(providerId);
  }
}
