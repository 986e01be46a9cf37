import { z } from 'zod';
import { balanceStrategySchema, routingStrategiesSchema } from './balanceStrategy.ts';
import { modelNameSchema, providerConfigSchema, providerLocations, routingSchema } from './provider.ts';
import { privacyModes } from './settings.ts';

/** `not-usable`: it answers, but can serve no task (no model named and none listed); the detail says why. */
export const providerStates = ['healthy', 'not-usable', 'circuit-open', 'key-rejected', 'unreachable', 'not-configured', 'unknown'] as const;
export type ProviderState = (typeof providerStates)[number];

/** What the UI learns about a provider: never the key, only whether one is set and where from. */
export const providerStatusSchema = z.object({
  config: providerConfigSchema,
  state: z.enum(providerStates),
  detail: z.string(),
  keyConfigured: z.boolean(),
  keySource: z.enum(['keychain', 'env']).nullable(),
  breakers: z.array(z.object({ model: z.string(), state: z.enum(['closed', 'open', 'half-open']) })),
  checkedAt: z.iso.datetime().nullable(),
});
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

export const localModelSchema = z.object({
  id: z.string(),
  path: z.string(),
  sizeBytes: z.number(),
  architecture: z.string().optional(),
  quantization: z.string().optional(),
  contextLength: z.number().optional(),
});
export type LocalModel = z.infer<typeof localModelSchema>;

export const downloadProgressSchema = z.object({
  downloadId: z.string(),
  uri: z.string(),
  /** paused: stopped with its partial file kept (also across restarts); cancelled: stopped and the partial file deleted. */
  state: z.enum(['running', 'paused', 'done', 'failed', 'cancelled']),
  downloadedBytes: z.number(),
  totalBytes: z.number().nullable(),
  /** The file it becomes in the models folder, once known. */
  fileName: z.string().optional(),
  /** Speed over the last seconds and the time left at it (running only; null: not known yet). */
  bytesPerSecond: z.number().optional(),
  secondsLeft: z.number().nullable().optional(),
  /** A partial file is kept: resuming fetches only the rest. */
  resumable: z.boolean().optional(),
  message: z.string().optional(),
});

/** Deleting a local model: which routing targets named it (warned about; refused unless forced). */
export const modelRemovalSchema = z.object({
  id: z.string(),
  usedBy: z.array(z.object({ task: z.string(), providerId: z.string() })),
});

export const routingViewSchema = z.object({
  routing: routingSchema,
  /** Each task's load-balancing strategy (a task without one: in order). */
  strategies: routingStrategiesSchema,
  privacyMode: z.enum(privacyModes),
});

export const attemptViewSchema = z.object({
  requestId: z.string(),
  attemptNo: z.number(),
  startedAt: z.string(),
  task: z.string(),
  providerId: z.string(),
  model: z.string(),
  outcome: z.enum(['ok', 'error', 'skipped', 'cancelled']),
  errorKind: z.string().optional(),
  status: z.number().optional(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  latencyMs: z.number().optional(),
  firstTokenMs: z.number().optional(),
  costUsd: z.number().optional(),
  reason: z.string(),
  strategy: balanceStrategySchema.optional(),
  message: z.string().optional(),
  /** Where the provider runs (absent once it was removed); a local call without a price costs 0. */
  location: z.enum(providerLocations).optional(),
});

export const priceSchema = z.object({
  model: modelNameSchema,
  inputPerMillion: z.number().min(0).max(10_000),
  outputPerMillion: z.number().min(0).max(10_000),
});

export const priceListSchema = z.object({
  /** The date of the shipped table's prices. */
  asOf: z.string(),
  prices: z.array(priceSchema.extend({ source: z.enum(['shipped', 'custom']) })),
});
