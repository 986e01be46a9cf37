import type { Observability } from '../observability/createObservability.ts';
import type { Handlers } from './Handlers.ts';

/** Provider health: each target's latency, error rate and breaker over the last hour and day. */
export function createObservabilityHandlers(observability: Observability): Pick<Handlers, 'providers.health'> {
  return {
    'providers.health': () => observability.providerHealth(),
  };
}
