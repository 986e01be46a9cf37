import type { ProviderConfig } from '../../src-shared/domain/provider.ts';

/**
 * The host a provider's requests go to ("api.openai.com", "10.0.0.5:11434", "this machine"), from
 * its configuration alone: what the user is told before anything is sent.
 */
export function providerHost(provider: ProviderConfig): string {
  if (provider.baseUrl) return new URL(provider.baseUrl).host;
  switch (provider.type) {
    case 'openai':
      return 'api.openai.com';
    case 'anthropic':
      return 'api.anthropic.com';
    case 'ollama':
      return '127.0.0.1:11434';
    case 'llama-cpp':
      return 'this machine';
    default:
      return provider.type satisfies never;
  }
}
