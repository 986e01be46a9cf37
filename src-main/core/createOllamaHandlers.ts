import type { OllamaService } from '../providers/OllamaService.ts';
import type { Handlers } from './Handlers.ts';

type OllamaChannels = 'ollama.status' | 'ollama.models' | 'ollama.pull' | 'ollama.cancelPull' | 'ollama.delete';

/** Ollama management: status in words, installed models, pull (progress as events), cancel, delete. */
export function createOllamaHandlers(ollama: OllamaService): Pick<Handlers, OllamaChannels> {
  return {
    'ollama.status': (input) => ollama.status(input?.providerId),
    'ollama.models': (input) => ollama.models(input?.providerId),
    'ollama.pull': ({ name, providerId }) => ({ pullId: ollama.pull(name, providerId).pullId }),
    'ollama.cancelPull': ({ pullId }) => ({ cancelled: ollama.cancelPull(pullId) }),
    'ollama.delete': ({ name, providerId }) => ollama.delete(name, providerId),
  };
}
