import { z } from 'zod';
import { telemetryAddressProblem } from './telemetryAddress.ts';

export const themes = ['system', 'light', 'dark'] as const;
export const privacyModes = ['local-only', 'local-first', 'cloud-allowed'] as const;
export type PrivacyMode = (typeof privacyModes)[number];

/** What the privacy guard can take out of a prompt before it goes to a cloud provider. */
export const redactionKinds = ['email', 'phone', 'ip', 'key', 'card', 'term'] as const;
export type RedactionKind = (typeof redactionKinds)[number];
export const maxGuardTerms = 100;

/**
 * The privacy guard: when on, every prompt to a cloud provider has these kinds of values replaced
 * by placeholders, put back in the answer on this machine. Terms are the user's own words (a
 * customer's name), literal, not patterns.
 */
export const privacyGuardSchema = z
  .object({
    enabled: z.boolean().default(false),
    kinds: z.array(z.enum(redactionKinds)).max(redactionKinds.length).default([...redactionKinds]),
    terms: z.array(z.string().trim().min(2, 'A term has at least 2 characters').max(200, 'A term has at most 200 characters')).max(maxGuardTerms, `At most ${maxGuardTerms} terms`).default([]),
  })
  .strict();
export type PrivacyGuard = z.infer<typeof privacyGuardSchema>;

/**
 * The response cache: off by default (an answer asked again is then a fresh one); when on, the
 * same request to the same model is answered from the cache for `ttlHours`, within `maxMegabytes`.
 */
export const responseCacheSchema = z
  .object({
    enabled: z.boolean().default(false),
    ttlHours: z.number().int().min(1).max(24 * 365).default(24 * 7),
    maxMegabytes: z.number().int().min(1).max(100_000).default(256),
  })
  .strict();
export type ResponseCacheSettings = z.infer<typeof responseCacheSchema>;

/**
 * OpenTelemetry export, off by default. When on, timings, token counts, costs and outcomes of
 * model calls, generation runs and sandbox runs go to the user's own OTLP/HTTP collector at
 * `endpoint` (its base address, e.g. http://localhost:4318, or the full …/v1/traces address).
 * Prompts and code are never sent: `includePrompts` can only be false.
 */
export const telemetrySchema = z
  .object({
    enabled: z.boolean().default(false),
    endpoint: z
      .string()
      .trim()
      .max(2048, 'The address has at most 2048 characters')
      .superRefine((value, context) => {
        const problem = value === '' ? null : telemetryAddressProblem(value);
        if (problem !== null) context.addIssue({ code: 'custom', message: problem });
      })
      .default(''),
    includePrompts: z.literal(false, { message: 'Prompts and code are never sent' }).default(false),
  })
  .strict()
  .refine((telemetry) => !telemetry.enabled || telemetry.endpoint !== '', { message: 'Give the collector address to send to', path: ['endpoint'] });
export type Telemetry = z.infer<typeof telemetrySchema>;

/**
 * User settings kept in the store. Every key has a default so an old database or a partial
 * row still yields complete settings; unknown keys from a newer version are ignored, not lost.
 */
export const settingsSchema = z.object({
  theme: z.enum(themes).default('system'),
  privacyMode: z.enum(privacyModes).default('local-only'),
  privacyGuard: privacyGuardSchema.default(privacyGuardSchema.parse({})),
  responseCache: responseCacheSchema.default(responseCacheSchema.parse({})),
  telemetry: telemetrySchema.default(telemetrySchema.parse({})),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = z
  .object({
    theme: z.enum(themes),
    privacyMode: z.enum(privacyModes),
    privacyGuard: privacyGuardSchema,
    responseCache: responseCacheSchema,
    telemetry: telemetrySchema,
  })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Name at least one setting to change');
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const defaultSettings: Settings = settingsSchema.parse({});
