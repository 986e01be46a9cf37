import type { ModelInfo } from './LlmProvider.ts';

/**
 * The models named in the provider's configuration, for servers without a model list (some
 * gateways answer 404 there): what the user typed is what the router may use.
 */
export function configuredModels(models: readonly string[], contextLengths: Readonly<Record<string, number>> = {}): ModelInfo[] {
  return models.map((model) => {
    const contextLength = contextLengths[model];
    return contextLength === undefined ? { id: model } : { id: model, contextLength };
  });
}
