import type { ModelInfo } from './LlmProvider.ts';
import { toProviderError } from './classifyHttpError.ts';
import { configuredModels } from './configuredModels.ts';
import { adviceFor } from './describeFailure.ts';
import { ProviderError } from './ProviderError.ts';

/**
 * An SDK's model entry when it is one: an object with a non-empty string id. The SDKs check
 * nothing: a list of `null`s, numbers or a string's characters reaches the adapter as entries.
 */
export function modelEntry<T>(entry: T): (T & { id: string }) | undefined {
  const id = (entry as { id?: unknown } | null | undefined)?.id;
  return typeof entry === 'object' && entry !== null && typeof id === 'string' && id !== '' ? (entry as T & { id: string }) : undefined;
}

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
  /** The server's entries mapped; undefined for one that is not a model entry (see `modelEntry`). */
  list: () => AsyncIterable<ModelInfo | undefined>;
  configured: readonly string[] | undefined;
  contextLengths: Readonly<Record<string, number>> | undefined;
  signal: AbortSignal | undefined;
}): Promise<ModelInfo[]> {
  try {
    const models: ModelInfo[] = [];
    let unreadable = 0;
    for await (const model of input.list()) {
      if (model === undefined) unreadable += 1;
      else models.push(model);
      // Leaving the loop ends the SDK's paging: a server that always has "more" is not asked without end.
      if (models.length + unreadable >= maxListedModels) break;
    }
    if (models.length === 0 && unreadable > 0) {
      throw new ProviderError(
        input.providerId,
        'server',
        `the server's model list holds ${unreadable} entr${unreadable === 1 ? 'y' : 'ies'} but no model this app can read (each needs an "id"): it may not be the API its type says. ${adviceFor('server')}`,
      );
    }
    return models;
  } catch (error) {
    const failure = toProviderError(input.providerId, error, input.signal);
    if (failure.kind === 'not-found' && input.configured?.length) return configuredModels(input.configured, input.contextLengths);
    throw failure;
  }
}
