import { z } from 'zod';
import { providerIdSchema, taskKinds } from './provider.ts';
import { privacyModes } from './settings.ts';
import { hardwareInfoSchema } from './hardware.ts';

/**
 * First-run setup as the faces see it: what was found on this machine (hardware, model servers
 * answering on loopback), whether a usable target exists, what the user chose, and why each task
 * goes where it goes. The core decides everything here; the faces only show it.
 */

/** What answers on a loopback port, as identified by its own endpoints. */
export const serverKinds = ['ollama', 'lm-studio', 'llama-server', 'vllm', 'openai-compatible'] as const;
export type ServerKind = (typeof serverKinds)[number];

const modelIdSchema = z.string().min(1).max(200);

export const detectedModelSchema = z
  .object({
    id: modelIdSchema,
    /** The window the server states for it, when it states one. */
    contextLength: z.number().int().positive().optional(),
  })
  .strict();

export const detectedServerSchema = z
  .object({
    kind: z.enum(serverKinds),
    /** In words: "LM Studio", "an OpenAI-compatible server". */
    name: z.string().max(80),
    host: z.enum(['127.0.0.1', '::1']),
    port: z.number().int().min(1).max(65_535),
    /** The address a provider is configured with (OpenAI-compatible ones end in /v1). */
    baseUrl: z.string().max(200),
    /** The adapter that speaks to it. */
    providerType: z.enum(['openai', 'ollama']),
    version: z.string().max(80).optional(),
    /** What the server lists (at most 200; chat models only where the server says which). */
    models: z.array(detectedModelSchema).max(200),
    /** How it was recognised, in words ("/api/version answered 0.5.7"). */
    evidence: z.string().max(300),
  })
  .strict();
export type DetectedServer = z.infer<typeof detectedServerSchema>;

/** One loopback address and port that was asked, and what came of it. */
export const probedPortSchema = z
  .object({
    host: z.enum(['127.0.0.1', '::1']),
    port: z.number().int(),
    /** The server usually found there ("Ollama"). */
    usual: z.string().max(80),
    /** closed: nothing answered (refused or silent within the time); not-a-model-server: something answered, but no model API. */
    outcome: z.enum(['found', 'closed', 'not-a-model-server']),
  })
  .strict();

/**
 * Whether the app can work now. `usable` is decided on the interview task (the first thing a
 * project needs): at least one of its targets would be tried (configured, enabled, allowed by the
 * privacy mode, key present, a model named). `tasks` says the same for every task.
 */
export const setupStatusSchema = z
  .object({
    usable: z.boolean(),
    /** Show the first-run screen: nothing usable, and setup was not skipped. */
    needed: z.boolean(),
    /** In words, why (not) usable. */
    reason: z.string().max(400),
    tasksServed: z.array(z.enum(taskKinds)),
    choice: z
      .object({ state: z.enum(['done', 'skipped']), providerId: providerIdSchema.optional(), model: modelIdSchema.optional(), at: z.iso.datetime() })
      .strict()
      .nullable(),
    privacyMode: z.enum(privacyModes),
  })
  .strict();
export type SetupStatus = z.infer<typeof setupStatusSchema>;

export const setupDetectionSchema = z
  .object({
    hardware: hardwareInfoSchema.nullable(),
    /** Why the hardware could not be read, when it could not. */
    hardwareProblem: z.string().max(300).optional(),
    servers: z.array(detectedServerSchema).max(16),
    probed: z.array(probedPortSchema).max(32),
    /** Whether a catalogue of recommended models ships with this version. */
    catalogue: z.boolean(),
    /** Whether a cloud provider may be added under the privacy mode (not in local-only). */
    cloudAllowed: z.boolean(),
    status: setupStatusSchema,
    tookMs: z.number().nonnegative(),
  })
  .strict();
export type SetupDetection = z.infer<typeof setupDetectionSchema>;

/** What the user picked: a detected server's model, a GGUF file already in the models folder, or a cloud provider. */
export const setupChoiceSchema = z.discriminatedUnion('kind', [
  /** A server found on loopback (the core refuses any other host: it is configured as local). */
  z.object({ kind: z.literal('server'), serverKind: z.enum(serverKinds), baseUrl: z.url({ protocol: /^http$/ }).max(200), providerType: z.enum(['openai', 'ollama']), model: modelIdSchema }).strict(),
  z.object({ kind: z.literal('local-model'), modelId: modelIdSchema }).strict(),
  z.object({ kind: z.literal('provider'), providerId: providerIdSchema, model: modelIdSchema }).strict(),
]);
export type SetupChoice = z.infer<typeof setupChoiceSchema>;

export const setupApplyResultSchema = z
  .object({
    providerId: providerIdSchema,
    model: modelIdSchema,
    /** The provider was added by this setup (false: an existing one was used). */
    added: z.boolean(),
    /** The one-line test answer from the chosen model, or why it could not answer. */
    test: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), text: z.string().max(300), ms: z.number().nonnegative() }).strict(),
      z.object({ ok: z.literal(false), message: z.string().max(600) }).strict(),
    ]),
    status: setupStatusSchema,
  })
  .strict();
export type SetupApplyResult = z.infer<typeof setupApplyResultSchema>;

/** Which target answers a task now and why, in words; or why none does. */
export const taskAnswerSchema = z
  .object({
    task: z.enum(taskKinds),
    target: z.object({ providerId: providerIdSchema, model: modelIdSchema }).strict().nullable(),
    why: z.string().max(400),
  })
  .strict();
export type TaskAnswer = z.infer<typeof taskAnswerSchema>;
