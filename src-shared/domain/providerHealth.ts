import { z } from 'zod';

/** The time windows health is computed over, newest first. */
export const healthWindows = ['hour', 'day'] as const;
export type HealthWindow = (typeof healthWindows)[number];
export const healthWindowMs: Record<HealthWindow, number> = { hour: 60 * 60 * 1000, day: 24 * 60 * 60 * 1000 };
export const healthWindowWords: Record<HealthWindow, string> = { hour: 'last hour', day: 'last day' };

/** A target's circuit breaker, as the router holds it in the process that answers. */
export const breakerStates = ['closed', 'open', 'half-open'] as const;
export type HealthBreakerState = (typeof breakerStates)[number];

/** The breaker in words (the GUI and the CLI say these, never "half-open"). */
export const breakerWords: Record<HealthBreakerState, string> = {
  closed: 'working',
  open: 'paused after repeated failures',
  'half-open': 'trying again',
};

const count = z.number().int().min(0);
const millis = z.number().min(0).nullable();

/** One target over one window: calls that reached it (cache hits and skips not counted), failures, latency of answered calls. */
export const windowHealthSchema = z.object({
  window: z.enum(healthWindows),
  calls: count,
  errors: count,
  /** errors / calls, 0..1; null without calls. */
  errorRate: z.number().min(0).max(1).nullable(),
  /** Latency of answered calls (outcome ok), in ms; null without one. */
  p50Ms: millis,
  p95Ms: millis,
  /** Calls the router did not send to this target because its breaker was open (sent elsewhere, or failed when none was left). */
  skippedWhilePaused: count,
});
export type WindowHealth = z.infer<typeof windowHealthSchema>;

export const targetHealthSchema = z.object({
  providerId: z.string(),
  model: z.string(),
  /** The provider's label as configured now; its id once it is removed. */
  label: z.string(),
  breaker: z.enum(breakerStates),
  /** One entry per window, in `healthWindows` order. */
  windows: z.array(windowHealthSchema).max(healthWindows.length),
  lastCallAt: z.string().nullable(),
});
export type TargetHealth = z.infer<typeof targetHealthSchema>;

export const providerHealthSchema = z.object({
  generatedAt: z.string(),
  /** Targets with calls in the last day or a breaker known to this process, busiest first. */
  targets: z.array(targetHealthSchema).max(500),
});
export type ProviderHealth = z.infer<typeof providerHealthSchema>;

/** What the CLI and the Usage page say when no model was called in the last day. */
export const noHealthYet = 'No model calls in the last day, so there is no health to show yet.';

/** 340 → "340 ms", 2140 → "2.1 s", null → "no answer yet". */
export function durationWords(ms: number | null): string {
  if (ms === null) return 'no answer yet';
  // Decided on the rounded figure: 999.6 ms is "1.0 s", not "1000 ms"; 9 960 ms "10 s", not "10.0 s".
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const tenths = (ms / 1000).toFixed(1);
  return `${Number(tenths) < 10 ? tenths : (ms / 1000).toFixed(0)} s`;
}

/** "no calls", "none of 12 calls failed", "3 of 12 calls failed (25%)". */
export function failureWords(window: WindowHealth): string {
  if (window.calls === 0) return 'no calls';
  const calls = `${window.calls} call${window.calls === 1 ? '' : 's'}`;
  if (window.errors === 0) return `none of ${calls} failed`;
  return `${window.errors} of ${calls} failed (${shareWords(window.errors, window.calls)})`;
}

/** A share in whole percent that never contradicts its counts: "under 1%" for 1 in 1000, "over 99%" for 999. */
function shareWords(part: number, whole: number): string {
  const percent = Math.round((part / whole) * 100);
  if (percent === 0 && part > 0) return 'under 1%';
  if (percent === 100 && part < whole) return 'over 99%';
  return `${percent}%`;
}

/** A window in one line of words, as the CLI prints it and the panel's title says it. */
export function windowWords(window: WindowHealth): string {
  const latency = window.p50Ms === null ? 'no answer yet' : `typically ${durationWords(window.p50Ms)}, 1 in 20 slower than ${durationWords(window.p95Ms)}`;
  const paused = window.skippedWhilePaused > 0 ? `; ${window.skippedWhilePaused} call${window.skippedWhilePaused === 1 ? '' : 's'} not sent to it while it was paused` : '';
  return `${healthWindowWords[window.window]}: ${failureWords(window)}; ${latency}${paused}`;
}
