import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { PrivacyMode, Telemetry } from '../../src-shared/domain/settings.ts';
import { telemetrySends } from '../../src-shared/domain/telemetrySends.ts';

/**
 * What leaves this machine, in words, from the configuration alone: each enabled provider that
 * is not on this machine and that the privacy mode lets the router use. Shown in About and by
 * `service-creator info`; an empty list means nothing is sent anywhere. `hostOf` is the provider
 * registry's (each type's default host). Telemetry, when the user turned it on, goes to its
 * collector whatever the privacy mode (it carries no prompt and no code).
 */
export function describeNetworkUse(providers: ProviderConfig[], privacyMode: PrivacyMode, hostOf: (provider: ProviderConfig) => string, telemetry?: Telemetry): string[] {
  const uses: string[] = [];
  for (const provider of providers) {
    if (!provider.enabled) continue;
    const host = hostOf(provider);
    if (provider.location === 'cloud') {
      if (privacyMode === 'local-only') continue;
      const when = privacyMode === 'local-first' ? 'when no local model can answer' : 'for the tasks routed to it';
      uses.push(`${provider.label} (${host}): prompts and generated code, ${when}`);
    } else if (host !== 'this machine' && !isLoopback(host)) {
      uses.push(`${provider.label} (${host}): prompts and generated code, to a server you marked as local`);
    }
  }
  if (telemetry && telemetrySends(telemetry, privacyMode)) {
    uses.push(`OpenTelemetry collector (${hostOfUrl(telemetry.endpoint)}): timings, token counts, costs and outcomes of model calls, generation runs and sandbox runs; never prompts or code`);
  }
  return uses;
}

function hostOfUrl(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint.slice(0, 100);
  }
}

function isLoopback(host: string): boolean {
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\./.test(name);
}
