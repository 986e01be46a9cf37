import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import { createAnthropicProvider } from './anthropicProvider.ts';
import { createLlamaCppProvider } from './llamaCppProvider.ts';
import type { LlmProvider } from './LlmProvider.ts';
import { createOllamaProvider } from './ollamaProvider.ts';
import { createOpenAiProvider } from './openaiProvider.ts';

export interface ProviderContext {
  apiKey: string | undefined;
  /** Folders searched for GGUF files (repo `models/`, the data folder's `models/`). */
  modelDirs: string[];
}

export type ManagedProvider = LlmProvider & { dispose?: () => Promise<void> };

/** One adapter per type; an exhaustive switch so a new type cannot be forgotten here. */
export function createProvider(config: ProviderConfig, context: ProviderContext): ManagedProvider {
  switch (config.type) {
    case 'llama-cpp':
      return createLlamaCppProvider({ id: config.id, modelDirs: context.modelDirs });
    case 'ollama':
      return createOllamaProvider({ id: config.id, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) });
    case 'openai':
      return createOpenAiProvider({ id: config.id, apiKey: context.apiKey, models: config.models, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) });
    case 'anthropic':
      return createAnthropicProvider({ id: config.id, apiKey: context.apiKey, models: config.models, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) });
    default:
      return config.type satisfies never;
  }
}
