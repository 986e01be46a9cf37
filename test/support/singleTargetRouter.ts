import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { AttemptRecord } from '../../src-main/modelCall/modelCallTypes.ts';
import type { LlmProvider } from '../../src-main/providers/LlmProvider.ts';
import { Router } from '../../src-main/router/Router.ts';
import type { RouterOptions } from '../../src-main/router/routerTypes.ts';

/**
 * A router over one local OpenAI-type provider with model `m`, its attempts kept in memory: for
 * tests of what happens to one call (errors in words, windows, caps), not of routing itself.
 */
export function singleTargetRouter(provider: LlmProvider, options: Partial<RouterOptions> = {}, config: Partial<ProviderConfig> = {}) {
  const fullConfig: ProviderConfig = { id: provider.id, type: 'openai', label: provider.id, location: 'local', baseUrl: 'http://127.0.0.1:1/v1', models: ['m'], limits: {}, enabled: true, ...config };
  const attempts: AttemptRecord[] = [];
  const router = new Router(
    {
      providers: () => [fullConfig],
      routing: () => ({}),
      privacyMode: () => 'local-only',
      provider: () => provider,
      defaultModel: () => 'm',
      hasKey: () => true,
      recordAttempt: (record) => attempts.push(record),
    },
    options,
  );
  return { router, attempts, config: fullConfig };
}
