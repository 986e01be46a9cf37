import type { Target } from '../../../src-shared/domain/provider.ts';

const keys = new Map<string, Map<string, string>>();

/**
 * One key per provider + model: what breakers, latencies, in-flight counts and stickiness are
 * kept by (JSON of the pair, so it parses back). Made once per pair: every call needs it.
 */
export function targetKey(target: Pick<Target, 'providerId' | 'model'>): string {
  let byModel = keys.get(target.providerId);
  if (!byModel) {
    byModel = new Map();
    if (keys.size < 1_000) keys.set(target.providerId, byModel);
  }
  let key = byModel.get(target.model);
  if (key === undefined) {
    key = JSON.stringify([target.providerId, target.model]);
    // Bounded: ids and models come from the configuration, but a long-lived process may see many.
    if (byModel.size < 1_000) byModel.set(target.model, key);
  }
  return key;
}
