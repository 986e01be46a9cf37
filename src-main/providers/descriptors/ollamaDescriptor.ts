import type { ProviderDescriptor } from './ProviderDescriptor.ts';

const defaultBaseUrl = 'http://127.0.0.1:11434';

/**
 * An Ollama server, on this machine by default. At another address it runs elsewhere: cloud (the
 * privacy mode keeps prompts from it) until the user marks it as on their network, as an
 * OpenAI-compatible server is; a tunnel on loopback can be marked cloud.
 */
export const ollamaDescriptor: ProviderDescriptor = {
  type: 'ollama',
  label: 'Ollama',
  shortLabel: 'Ollama',
  key: 'none',
  defaultBaseUrl,
  defaultHost: '127.0.0.1:11434',
  local: true,
  locationChoice: true,
  localModelFiles: false,
  pricing: 'free',
  errors: 'http-status',
  listsModels: 'server',
  fields: [
    { id: 'baseUrl', kind: 'url', label: 'Base URL', required: false, help: 'Leave empty for Ollama on this machine.', placeholder: defaultBaseUrl },
    {
      id: 'local',
      kind: 'toggle',
      label: 'Runs on this machine or my network',
      required: false,
      help: 'An address on this machine (127.0.0.1, localhost) is local already. Marking another host local means Local-only mode sends it your prompts and code, so mark only a machine you control.',
    },
    { id: 'models', kind: 'models', label: 'Models', required: false, help: 'One per line or separated by commas; the first is the default. Empty: use what Ollama lists.', placeholder: 'qwen2.5-coder:7b' },
  ],
  async create(config) {
    const { createOllamaProvider } = await import('../ollamaProvider.ts');
    return createOllamaProvider({ id: config.id, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) });
  },
};
