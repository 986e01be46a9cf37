import type { ModelInfo } from './LlmProvider.ts';
import { toProviderError } from './classifyHttpError.ts';
import { configuredModels } from './configuredModels.ts';

/**
 * A cloud adapter's model list: the server's (each SDK page mapped by `list`), or, when the server
 * has no model list (some gateways answer 404 there) and the user named models, those. Any other
 * failure is thrown as the ProviderError it classifies as. Shared by the OpenAI and Anthropic
 * adapters, whose fallback was the same code twice.
 */
export async function listModelsWithFallback(input: {
  providerId: string;
  list: () => AsyncIterable<ModelInfo>;
  configured: readonly string[] | undefined;
  contextLengths: Readonly<Record<string, number>> | undefined;
  signal: AbortSignal | undefined;
}): Promise<ModelInfo[]> {
  try {
    const models: ModelInfo[] = [];
    for await (const model of input.list()) models.push(model);
    return models;
  } catch (error) {
    const failure = toProviderError(input.providerId, error, input.signal);
    if (failure.kind === 'not-found' && input.configured?.length) return configuredModels(input.configured, input.contextLengths);
    throw failure;
  }
}
