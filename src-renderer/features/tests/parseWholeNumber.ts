import { defaultSandboxLimits } from '../../../src-shared/sandbox/sandboxTypes.ts';

/** A whole number typed in a field, within bounds, or why it cannot be used (the field's label says which). */
export function parseWholeNumber(text: string, { min, max, label }: { min: number; max: number; label: string }): { ok: true; value: number } | { ok: false; problem: string } {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    return { ok: false, problem: `${label} must be a whole number from ${min} to ${max}, not "${text}"` };
  }
  return { ok: true, value };
}

/** The test timeout field: seconds, as the contract allows (1..3600); 300 s is the sandbox default. */
export const timeoutBounds = { min: 1, max: 3600, label: 'Timeout' } as const;
export const defaultTimeoutSeconds = defaultSandboxLimits.timeoutMs / 1000;
/** Repair rounds, as the contract allows (1..10), 3 by default. */
export const roundBounds = { min: 1, max: 10, label: 'Rounds' } as const;
export const defaultRounds = 3;
