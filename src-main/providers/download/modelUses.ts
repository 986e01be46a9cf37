import type { ProviderConfig, Routing } from '../../../src-shared/domain/provider.ts';

/**
 * The routing targets that name a local model: a target of a llama.cpp provider whose model is
 * the file's id. Read before a model is deleted, so the user hears which tasks would lose it.
 */
export function modelUses(routing: Routing, providers: readonly ProviderConfig[], modelId: string): { task: string; providerId: string }[] {
  const local = new Set(providers.filter((provider) => provider.type === 'llama-cpp').map((provider) => provider.id));
  const uses: { task: string; providerId: string }[] = [];
  for (const [task, targets] of Object.entries(routing)) {
    for (const target of targets ?? []) {
      if (local.has(target.providerId) && target.model === modelId) uses.push({ task, providerId: target.providerId });
    }
  }
  return uses;
}
