import type { ProviderDescriptor } from './ProviderDescriptor.ts';

const defaultBaseUrl = 'https://api.openai.com/v1';

/** OpenAI, or any server speaking its API (vLLM, LM Studio, llama-server), which may be local. */
export const openaiDescriptor: ProviderDescriptor = {
  type: 'openai',
  label: 'OpenAI or compatible server',
  shortLabel: 'OpenAI-compatible',
  key: 'unless-local-server',
  envVar: 'OPENAI_API_KEY',
  defaultBaseUrl,
  defaultHost: 'api.openai.com',
  local: false,
  locationChoice: true,
  localModelFiles: false,
  pricing: 'shipped-table',
  errors: 'http-status',
  listsModels: 'server-or-configured',
  fields: [
    {
      id: 'baseUrl',
      kind: 'url',
      label: 'Base URL',
      required: false,
      help: 'Leave empty for api.openai.com; a local server such as vLLM or LM Studio, e.g. http://127.0.0.1:8000/v1.',
      placeholder: defaultBaseUrl,
    },
    {
      id: 'local',
      kind: 'toggle',
      label: 'Runs on this machine or my network',
      required: false,
      help: 'An address on this machine (127.0.0.1, localhost) is local already. Marking another host local means Local-only mode sends it your prompts and code, so mark only a machine you control; it usually needs no API key.',
    },
    {
      id: 'models',
      kind: 'models',
      label: 'Models',
      required: false,
      help: 'One per line or separated by commas; the first is the default. Empty on a local server: use what the server lists.',
      placeholder: 'model name',
    },
    { id: 'apiKey', kind: 'secret', label: 'API key', required: true, help: 'Stored in the system keychain, never in the database.' },
    { id: 'apiKeyEnv', kind: 'text', label: 'Or read the key from the environment variable', required: false, help: 'Optional; used when no key is stored in the keychain.', placeholder: 'OPENAI_API_KEY' },
  ],
  async create(config, context) {
    const { createOpenAiProvider } = await import('../openaiProvider.ts');
    return createOpenAiProvider({ id: config.id, apiKey: context.apiKey, models: config.models, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) });
  },
};
