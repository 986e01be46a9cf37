import type { ModelInfo } from './LlmProvider.ts';
import { toProviderError } from './classifyHttpError.ts';
import { configuredModels } from './configuredModels.ts';

/** The most models taken from one list (real servers list tens to a few hundred). */
export const maxListedModels = 10_000;

/**
 * A cloud adapter's model list: the server's (each SDK page mapped by `list`), or, when the server
 * has no model list (some gateways answer 404 there) and the user named models, those. Any other
 * failure is thrown as the ProviderError it classifies as. At most `maxListedModels` are taken,
 * however many pages the server says it has. Shared by the OpenAI and Anthropic
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
    for await (const model of input.list()) {
      models.push(model);
      // Leaving the loop ends the SDK's paging: a server that always has "more" is not asked without end.
      if (models.length >= maxListedModels) break;
    }
    return models;
  } catch (error) {
    const failure = toProviderError(input.providerId, error, input.signal);
    if (failure.kind === 'not-found' && input.configured?.length) return configuredModels(input.configured, input.contextLengths);
    throw failure;
  }
}
