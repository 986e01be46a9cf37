import type { PrivacyMode } from './settings.ts';
import type { ProviderConfig, RoutedTarget } from './provider.ts';

/**
 * Why the router passes a routed target over whatever its weight, in words (the routing view and
 * `providers routing` say it beside the target and give it no share): its provider was removed
 * or never added, is disabled, or is a cloud one in Local only. Null when it can be tried.
 */
export function routingTargetProblem(target: Pick<RoutedTarget, 'providerId'>, providers: readonly Pick<ProviderConfig, 'id' | 'enabled' | 'location'>[], privacyMode: PrivacyMode): string | null {
  const provider = providers.find((candidate) => candidate.id === target.providerId);
  if (provider === undefined) return 'no such provider';
  if (!provider.enabled) return 'disabled';
  if (privacyMode === 'local-only' && provider.location === 'cloud') return 'skipped in Local only';
  return null;
}
