import { AppError } from '../../src-shared/AppError.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { PrivacyMode } from '../../src-shared/domain/settings.ts';
import type { ServerKind, SetupChoice } from '../../src-shared/domain/setup.ts';

/** What setup changes of the providers (ProviderService fits it). */
export interface ProviderChanges {
  stored(): { providers: ProviderConfig[] };
  add(config: ProviderConfig): Promise<unknown>;
  update(config: ProviderConfig): Promise<unknown>;
}

const serverIds: Record<ServerKind, { id: string; label: string }> = {
  ollama: { id: 'ollama', label: 'Ollama' },
  'lm-studio': { id: 'lm-studio', label: 'LM Studio' },
  'llama-server': { id: 'llama-server', label: 'llama.cpp server' },
  vllm: { id: 'vllm', label: 'vLLM' },
  'openai-compatible': { id: 'local-server', label: 'Local server' },
};

/**
 * The provider a setup choice runs on: one already configured for the same server (or the
 * llama.cpp provider, or the one named) is reused and switched on if it was off; otherwise one is
 * added. A detected server must be on loopback, because it is configured as local (allowed in
 * Local-only mode); a cloud provider is refused where the privacy mode does not allow it.
 */
export async function providerForChoice(choice: SetupChoice, providers: ProviderChanges, privacyMode: PrivacyMode): Promise<{ config: ProviderConfig; model: string; added: boolean }> {
  const existing = providers.stored().providers;
  if (choice.kind === 'provider') {
    const config = existing.find((provider) => provider.id === choice.providerId);
    if (!config) throw new AppError('NOT_FOUND', `No provider "${choice.providerId}"`);
    if (config.location === 'cloud' && privacyMode === 'local-only') {
      throw new AppError('BLOCKED_BY_PRIVACY_MODE', `${config.label} is a cloud provider, which Local-only mode never uses: choose Local first or Cloud allowed in Settings to use it`);
    }
    return { config: await enabled(config, providers), model: choice.model, added: false };
  }
  if (choice.kind === 'local-model') {
    const llama = existing.find((provider) => provider.type === 'llama-cpp');
    if (llama) return { config: await enabled(llama, providers), model: choice.modelId, added: false };
    const config: ProviderConfig = { id: freeId('local', existing), type: 'llama-cpp', label: 'On this computer', location: 'local', models: [], limits: {}, enabled: true };
    await providers.add(config);
    return { config, model: choice.modelId, added: true };
  }
  const url = new URL(choice.baseUrl);
  if (url.hostname !== '127.0.0.1' && url.hostname !== '[::1]') {
    throw new AppError('INVALID_INPUT', `Setup uses servers on this computer only (127.0.0.1 or ::1), not ${url.hostname}; add another server in Providers`);
  }
  const baseUrl = choice.baseUrl.replace(/\/+$/, '');
  const same = existing.find((provider) => provider.type === choice.providerType && provider.baseUrl?.replace(/\/+$/, '') === baseUrl);
  if (same) {
    const models = same.models.length === 0 || same.models.includes(choice.model) ? same.models : [choice.model, ...same.models].slice(0, 200);
    const changed = { ...same, models, enabled: true, location: 'local' as const };
    if (JSON.stringify(changed) !== JSON.stringify(same)) await providers.update(changed);
    return { config: changed, model: choice.model, added: false };
  }
  const named = serverIds[choice.serverKind];
  const config: ProviderConfig = {
    id: freeId(named.id, existing),
    type: choice.providerType,
    label: choice.serverKind === 'openai-compatible' ? `${named.label} (port ${url.port || '80'})` : named.label,
    location: 'local',
    baseUrl,
    models: [choice.model],
    limits: {},
    enabled: true,
  };
  await providers.add(config);
  return { config, model: choice.model, added: true };
}

async function enabled(config: ProviderConfig, providers: ProviderChanges): Promise<ProviderConfig> {
  if (config.enabled) return config;
  const on = { ...config, enabled: true };
  await providers.update(on);
  return on;
}

/** `base`, or `base-2`, `base-3`… whichever no provider has. */
function freeId(base: string, existing: ProviderConfig[]): string {
  const taken = new Set(existing.map((provider) => provider.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}
