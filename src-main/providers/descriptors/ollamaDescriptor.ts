import type { ProviderDescriptor } from './ProviderDescriptor.ts';

const defaultBaseUrl = 'http://127.0.0.1:11434';

/** An Ollama server, on this machine by default. */
export const ollamaDescriptor: ProviderDescriptor = {
  type: 'ollama',
  label: 'Ollama',
  shortLabel: 'Ollama',
  key: 'none',
  defaultBaseUrl,
  defaultHost: '127.0.0.1:11434',
  local: true,
  locationChoice: false,
  localModelFiles: false,
  pricing: 'free',
  errors: 'http-status',
  listsModels: 'server',
  fields: [
    { id: 'baseUrl', kind: 'url', label: 'Base URL', required: false, help: 'Leave empty for the default.', placeholder: defaultBaseUrl },
    { id: 'models', kind: 'models', label: 'Models', required: false, help: 'One per line or separated by commas; the first is the default. Empty: use what Ollama lists.', placeholder: 'qwen2.5-coder:7b' },
  ],
  async create(config) {
    const { createOllamaProvider } = await import('../ollamaProvider.ts');
    return createOllamaProvider({ id: config.id, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) });
  },
};
