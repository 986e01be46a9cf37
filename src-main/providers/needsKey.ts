import type { ProviderConfig } from '../../src-shared/domain/provider.ts';

/** Cloud APIs need a key; a local OpenAI-compatible server usually does not. */
export function needsKey(config: ProviderConfig): boolean {
  if (config.type === 'llama-cpp' || config.type === 'ollama') return false;
  return !(config.type === 'openai' && config.baseUrl !== undefined && config.location === 'local');
}
