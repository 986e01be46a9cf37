import { maxConcurrency } from '../../src-shared/pipeline/pipelineTypes.ts';

/** Files written at once when the caller names no number. */
export const defaultConcurrency = 4;

/** The caller's concurrency as a whole number within 1..maxConcurrency, or the default. */
export function clampConcurrency(value: number | undefined): number {
  if (value === undefined) return defaultConcurrency;
  return Math.min(maxConcurrency, Math.max(1, Math.floor(value)));
}
