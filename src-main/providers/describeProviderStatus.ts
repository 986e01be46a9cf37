import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { ProviderState, ProviderStatus } from '../../src-shared/domain/providerStatus.ts';
import type { ResolvedApiKey } from '../secrets/resolveApiKey.ts';
import type { HealthStatus } from './LlmProvider.ts';
import { routableModelIds } from './routableModelIds.ts';

/** What ProviderService knows about one provider at this moment. */
export interface ProviderFacts {
  config: ProviderConfig;
  /** From its type's descriptor: whether it needs a key, the conventional key variable, its host. */
  needsKey: boolean;
  envVar: string | undefined;
  host: string;
  key: ResolvedApiKey | undefined;
  /** The last live check, if any. */
  health: { result: HealthStatus; at: string } | undefined;
  breakers: ProviderStatus['breakers'];
  /** A call saw the key refused (401/403) since the key was last changed. */
  keyRejected: boolean;
  /** Whether the privacy mode lets anything be sent to it. */
  mayContact: boolean;
  /** How its type finds models (the descriptor's `listsModels`); undefined for a type this process does not know. */
  listsModels?: 'server' | 'server-or-configured' | 'model-folders' | undefined;
}

/**
 * Why a provider whose check passed can still serve no task, or undefined when it can: a router
 * target needs a model, and with none named only a local server's own list supplies one (a cloud
 * list is a catalogue of everything the vendor sells, so it is never taken as a choice).
 */
function unusableReason(config: ProviderConfig, listsModels: ProviderFacts['listsModels'], listed: readonly string[] | undefined, listedInAll: number): string | undefined {
  if (config.models.length > 0 || listsModels === 'model-folders' || listed === undefined) return undefined;
  if (config.location === 'cloud') return `no model named: add the one to use in Models (the server lists ${listedInAll})`;
  if (listed.length === 0 && listedInAll > 0) return `the server lists ${listedInAll} model${listedInAll === 1 ? '' : 's'}, none with a name a route can hold (1 to 200 characters, with no control or direction characters): load another in the server`;
  if (listed.length === 0) return listsModels === 'server' && config.type === 'ollama' ? 'Ollama has no models yet: pull one' : 'the server lists no models: load one in the server, or name one in Models';
  return undefined;
}

/** The check's words, with the model a provider without a named one will use. */
function healthyDetail(config: ProviderConfig, detail: string, listed: readonly string[] | undefined): string {
  if (config.models.length > 0 || listed === undefined || listed.length === 0 || config.location === 'cloud') return detail;
  return `${detail}; uses what the server lists: ${listed[0]}${listed.length > 1 ? ` (first of ${listed.length})` : ''}`;
}

/**
 * The status the UI and CLI show, worst first: no key, key rejected, circuit open, the last
 * check's result, or why it has not been checked (Local-only mode never checks a cloud provider).
 * Pure: never the key itself, only whether there is one and where it comes from.
 */
export function describeProviderStatus({ config, needsKey, envVar, host, key, health, breakers, keyRejected, mayContact, listsModels }: ProviderFacts): ProviderStatus {
  let state: ProviderState;
  let detail: string;
  if (needsKey && !key) {
    state = 'not-configured';
    const variable = config.apiKeyEnv ?? envVar;
    detail = `No API key: add one${variable ? `, or set ${variable}` : ''}`;
  } else if (keyRejected || (health && !health.result.ok && health.result.code === 'auth')) {
    state = 'key-rejected';
    // The check's own words when it saw the rejection: the status and the server's reason.
    detail = health && !health.result.ok && health.result.code === 'auth' ? health.result.detail : 'The provider rejected the API key (401/403). Update the key in Providers.';
  } else if (breakers.some((breaker) => breaker.state === 'open')) {
    state = 'circuit-open';
    detail = `Paused after repeated failures (${breakers.filter((b) => b.state === 'open').map((b) => b.model).join(', ')}); it is retried after a cool-down`;
  } else if (health?.result.ok) {
    // Only the models a target can name: the one it "uses" is the one the router would send.
    const listed = health.result.models === undefined ? undefined : routableModelIds(health.result.models);
    const unusable = unusableReason(config, listsModels, listed, health.result.models?.length ?? 0);
    state = unusable === undefined ? 'healthy' : 'not-usable';
    detail = unusable ?? healthyDetail(config, health.result.detail, listed);
  } else if (health && !health.result.ok && health.result.code === 'no-models') {
    state = 'not-usable';
    detail = health.result.detail;
  } else if (health) {
    state = 'unreachable';
    detail = health.result.detail;
  } else if (!mayContact) {
    state = 'unknown';
    detail = `Not checked: Local-only mode sends nothing to cloud providers (this one is at ${host})`;
  } else {
    state = 'unknown';
    detail = 'Not checked yet';
  }
  return {
    config,
    state,
    detail,
    keyConfigured: key !== undefined,
    keySource: key?.source ?? null,
    breakers,
    checkedAt: health?.at ?? null,
  };
}
