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

  constructor(deps: { registry: ProviderRegistry; secrets: SecretStore; env: Readonly<Record<string, string | undefined>> }) {
    this.#deps = deps;
  }

  async refresh(configs: ProviderConfig[]): Promise<void> {
    for (const config of configs) {
      if (!this.#deps.registry.needsKey(config)) continue;
      try {
        this.#keys.set(
          config.id,
          await resolveApiKey({ providerId: config.id, defaultEnv: this.#deps.registry.envVar(config.type), apiKeyEnv: config.apiKeyEnv }, this.#deps.secrets, this.#deps.env),
        );
      } catch {
        // Keychain unavailable and no environment variable: the provider shows "not configured".
        this.#keys.set(config.id, undefined);
      }
    }
  }

  get(providerId: string): ResolvedApiKey | undefined {
    return this.#keys.get(providerId);
  }

  forget(providerId: string): void {
    this.#keys.delete(providerId);
  }
}
