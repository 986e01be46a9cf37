import type { Target } from '../../../src-shared/domain/provider.ts';

/** One key per provider + model: what breakers, latencies, in-flight counts and stickiness are kept by. */
export function targetKey(target: Pick<Target, 'providerId' | 'model'>): string {
  return JSON.stringify([target.providerId, target.model]);
}
