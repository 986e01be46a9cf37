import { z } from 'zod';
import { queryHoldsKey } from './queryHoldsKey.ts';

/**
 * A provider type id ("llama-cpp", "openai"). The list of types is main's (one descriptor per type,
 * src-main/providers/descriptors); the boundary checks the shape here and main refuses a type it
 * does not know, in words. The faces learn the types over `providers.types`.
 */
export const providerTypeSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'A provider type is 1-40 lowercase letters, digits or dashes');
export type ProviderType = z.infer<typeof providerTypeSchema>;

/** Where a provider's requests go. The privacy mode filters on this, never on the type. */
export const providerLocations = ['local', 'cloud'] as const;
export type ProviderLocation = (typeof providerLocations)[number];

export const providerIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'A provider id is 1-40 lowercase letters, digits or dashes, starting with a letter or digit');

export const taskKinds = ['interview', 'plan', 'code', 'review', 'docs', 'tests', 'fix'] as const;
export type TaskKind = (typeof taskKinds)[number];

export const rateLimitsSchema = z
  .object({
    requestsPerMinute: z.number().int().positive().max(100_000).optional(),
    tokensPerMinute: z.number().int().positive().max(100_000_000).optional(),
    /** The most requests started within any one second (a burst); unset: only the per-minute limits. */
    burst: z.number().int().positive().max(10_000).optional(),
  })
  .strict();

/** A provider's timeout in ms: whole seconds from 1 second to 6 hours (the forms ask in seconds). */
/** The longest first-token or total timeout a provider may be given. */
export const longestTimeoutMs = 6 * 3_600_000;
export const timeoutMsSchema = z
  .number()
  .int()
  .min(1_000, 'A timeout is at least 1 second')
  .max(longestTimeoutMs, 'A timeout is at most 6 hours (21600 seconds)');

/**
 * A configured provider. Keys are never part of it: they live in the OS keychain (or are read
 * from the environment variable named in `apiKeyEnv`); the UI only learns `keyConfigured`.
 */
/** The longest model name a provider or a routing target holds. */
export const maxModelNameChars = 200;

/** A model's name as a provider calls it (in a provider's list, a routing, a price), its limits said in words. */
export const modelNameSchema = z.string().min(1, 'A model name cannot be empty').max(maxModelNameChars, `A model name is at most ${maxModelNameChars} characters`);

export const providerConfigSchema = z
  .object({
    id: providerIdSchema,
    type: providerTypeSchema,
    label: z.string().trim().min(1).max(80),
    location: z.enum(providerLocations),
    // A user name or password in the address, or a key in its query, would be stored, listed and logged with it: keys go in the keychain.
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .refine((url) => !/^https?:\/\/[^/?#]*@/i.test(url), 'The address cannot hold a user name or password: put the key in the key field, where the keychain keeps it')
      .refine((url) => !queryHoldsKey(url), 'The address cannot hold a key in its query (after the "?"): put the key in the key field, where the keychain keeps it')
      // Requests are made by adding to the address: a "#" part would swallow them, and is no place for anything else.
      .refine((url) => !url.includes('#'), 'The address cannot have a "#" part')
      .optional(),
    /** Models this provider offers for routing; local llama.cpp models come from the model folders. */
    models: z.array(modelNameSchema).max(200, 'A provider offers at most 200 models for routing').default([]),
    apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'An environment variable name is UPPER_CASE').optional(),
    limits: rateLimitsSchema.default({}),
    enabled: z.boolean().default(true),
    /**
     * How long to wait for the first token before giving up on this provider and trying the next
     * target (a hung server is not retried); unset: the router's default (2 minutes, for local
     * models that load first).
     */
    firstTokenTimeoutMs: timeoutMsSchema.optional(),
    /** How long one whole answer may take; unset: the router's default (10 minutes). */
    totalTimeoutMs: timeoutMsSchema.optional(),
  })
  .strict();
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

/** One place a task can be sent: a provider and one of its models. */
export const targetSchema = z.object({ providerId: providerIdSchema, model: z.string().min(1).max(200) }).strict();
export type Target = z.infer<typeof targetSchema>;

/**
 * A target in a task's routing, with its share of the traffic when the task's strategy is
 * `weighted` (absent: 1; 0: only when every other target failed). Other strategies ignore it.
 */
export const routedTargetSchema = z
  .object({
    providerId: providerIdSchema,
    model: modelNameSchema,
    weight: z.number().int('A weight is a whole number').min(0, 'A weight is 0 or more').max(1000, 'A weight is at most 1000').optional(),
  })
  .strict();
export type RoutedTarget = z.infer<typeof routedTargetSchema>;

/** The most targets one task's routing may list. */
export const maxRoutedTargets = 20;

/** Targets per task kind; the task's strategy (balanceStrategy.ts) orders them within the privacy mode. */
export const routingSchema = z.partialRecord(z.enum(taskKinds), z.array(routedTargetSchema).max(maxRoutedTargets, `A task has at most ${maxRoutedTargets} targets`));
export type Routing = z.infer<typeof routingSchema>;

/** An API key on its way into the keychain (renderer → main only; never sent back). */
export const apiKeySchema = z
  .string()
  .trim()
  .min(1, 'The API key is empty')
  .max(16_384, 'An API key can have at most 16384 characters')
  .refine((key) => !/[\u0000-\u001f\u007f]/.test(key), 'An API key cannot contain control characters');
