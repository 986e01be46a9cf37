import type { ProviderDescriptor } from './ProviderDescriptor.ts';

const defaultBaseUrl = 'https://api.anthropic.com';

/** Anthropic's Messages API. */
export const anthropicDescriptor: ProviderDescriptor = {
  type: 'anthropic',
  label: 'Anthropic',
  shortLabel: 'Anthropic',
  key: 'required',
  envVar: 'ANTHROPIC_API_KEY',
  defaultBaseUrl,
  defaultHost: 'api.anthropic.com',
  local: false,
  locationChoice: false,
  localModelFiles: false,
  pricing: 'shipped-table',
  errors: 'http-status',
  listsModels: 'server-or-configured',
  fields: [
    { id: 'baseUrl', kind: 'url', label: 'Base URL', required: false, help: 'Leave empty for the default.', placeholder: defaultBaseUrl },
    { id: 'models', kind: 'models', label: 'Models', required: false, help: 'One per line or separated by commas; the first is the default.', placeholder: 'claude-sonnet-4-5' },
    { id: 'apiKey', kind: 'secret', label: 'API key', required: true, help: 'Stored in the system keychain, never in the database.' },
    { id: 'apiKeyEnv', kind: 'text', label: 'Or read the key from the environment variable', required: false, help: 'Optional; used when no key is stored in the keychain.', placeholder: 'ANTHROPIC_API_KEY' },
  ],
  async create(config, context) {
    const { createAnthropicProvider } = await import('../anthropicProvider.ts');
    return createAnthropicProvider({ id: config.id, apiKey: context.apiKey, models: config.models, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) });
  },
};
