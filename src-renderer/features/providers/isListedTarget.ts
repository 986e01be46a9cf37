import type { Target } from '../../../src-shared/domain/provider.ts';

/**
 * Whether a task's targets already hold this provider and model (the model compared as typed,
 * trimmed): the routing view refuses to add it twice, as `providers routing set` does; the router
 * would try a target listed twice only once anyway.
 */
export function isListedTarget(targets: readonly Target[], target: Target): boolean {
  return targets.some((listed) => listed.providerId === target.providerId && listed.model.trim() === target.model.trim());
}
