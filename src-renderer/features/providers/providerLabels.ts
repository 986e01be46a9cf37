import { isLoopbackUrl } from '../../../src-shared/domain/loopbackUrl.ts';
import type { ProviderLocation } from '../../../src-shared/domain/provider.ts';
import type { ProviderState, ProviderStatus } from '../../../src-shared/domain/providerStatus.ts';

const stateLabels: Record<ProviderState, string> = {
  healthy: 'Healthy',
  'not-usable': 'Not usable',
  'circuit-open': 'Circuit open',
  'key-rejected': 'Key rejected',
  unreachable: 'Unreachable',
  'not-configured': 'Not configured',
  unknown: 'Not checked',
};

export function providerStateLabel(state: ProviderState): string {
  return stateLabels[state];
}

/** Where it runs, in words: a server marked local at another address is on the user's network, not this machine. */
export function locationLabel(location: ProviderLocation, baseUrl?: string): string {
  if (location === 'cloud') return 'Cloud';
  return baseUrl === undefined || isLoopbackUrl(baseUrl) ? 'On this machine' : 'On your network';
}

/** Where the key comes from, in words; never the key itself (the renderer never has it). */
export function keyStateText(status: Pick<ProviderStatus, 'config' | 'keyConfigured' | 'keySource'>, needsKey: boolean): string {
  if (status.keySource === 'keychain') return 'Key stored in the keychain';
  if (status.keySource === 'env') return status.config.apiKeyEnv ? `Key from environment (${status.config.apiKeyEnv})` : 'Key from environment';
  if (!needsKey) return 'No key needed';
  return 'No key';
}
