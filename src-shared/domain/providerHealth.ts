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
  /** Calls the router sent elsewhere because this target's breaker was open. */
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
