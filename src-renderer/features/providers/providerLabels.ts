import type { ProviderConfig, ProviderLocation, ProviderType } from '../../../src-shared/domain/provider.ts';
import type { ProviderState, ProviderStatus } from '../../../src-shared/domain/providerStatus.ts';

export interface ProviderTypeOption {
  value: ProviderType;
  label: string;
  /** A short name for the list. */
  shortLabel: string;
}

export const providerTypeOptions: readonly ProviderTypeOption[] = [
  { value: 'llama-cpp', label: 'llama.cpp on this machine', shortLabel: 'llama.cpp' },
  { value: 'ollama', label: 'Ollama', shortLabel: 'Ollama' },
  { value: 'openai', label: 'OpenAI or compatible server', shortLabel: 'OpenAI-compatible' },
  { value: 'anthropic', label: 'Anthropic', shortLabel: 'Anthropic' },
];

export function providerTypeLabel(type: ProviderType): string {
  return providerTypeOptions.find((option) => option.value === type)?.shortLabel ?? type;
}

const stateLabels: Record<ProviderState, string> = {
  healthy: 'Healthy',
  'circuit-open': 'Circuit open',
  'key-rejected': 'Key rejected',
  unreachable: 'Unreachable',
  'not-configured': 'Not configured',
  unknown: 'Not checked',
};

export function providerStateLabel(state: ProviderState): string {
  return stateLabels[state];
}

export function locationLabel(location: ProviderLocation): string {
  return location === 'local' ? 'On this machine' : 'Cloud';
}

/** Whether the type can take an API key at all (llama.cpp and Ollama never do). */
export function takesApiKey(type: ProviderType): boolean {
  return type === 'openai' || type === 'anthropic';
}

/**
 * The same rule as the core: cloud APIs need a key; llama.cpp, Ollama and an OpenAI-compatible
 * server marked local (with its own base URL) do not.
 */
export function needsKey(config: Pick<ProviderConfig, 'type' | 'location' | 'baseUrl'>): boolean {
  if (!takesApiKey(config.type)) return false;
  return !(config.type === 'openai' && config.baseUrl !== undefined && config.location === 'local');
}

/** Where the key comes from, in words; never the key itself (the renderer never has it). */
export function keyStateText(status: Pick<ProviderStatus, 'config' | 'keyConfigured' | 'keySource'>): string {
  if (status.keySource === 'keychain') return 'Key stored in the keychain';
  if (status.keySource === 'env') return status.config.apiKeyEnv ? `Key from environment (${status.config.apiKeyEnv})` : 'Key from environment';
  if (!needsKey(status.config)) return 'No key needed';
  return 'No key';
}
