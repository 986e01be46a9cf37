import { z } from 'zod';
import { modelFitSchema } from './modelCatalog.ts';
import { providerIdSchema } from './provider.ts';

/**
 * Ollama management as the faces see it: whether the server runs (in words), the models it has,
 * pulls with progress and cancel, delete. The channels and the event are spread into the
 * contract (src-shared/contract.ts) from here.
 */

/** An Ollama model name: `qwen2.5-coder:7b`, `library/llama3.2`, `hf.co/user/repo:Q4_K_M`. */
export const ollamaModelNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/:]{0,199}$/, 'An Ollama model name is letters, digits and . _ - / : (e.g. qwen2.5-coder:7b)');

export const ollamaStatusSchema = z.object({
  running: z.boolean(),
  /** Where the server is asked ("127.0.0.1:11434"). */
  host: z.string(),
  version: z.string().optional(),
  /** The Ollama provider whose address was used; null: none is configured (the default address). */
  providerId: z.string().nullable(),
  /** One sentence: "Ollama 0.9.1 is running at ...", or what is wrong and what to do. */
  message: z.string(),
});
export type OllamaStatus = z.infer<typeof ollamaStatusSchema>;

export const ollamaModelSchema = z.object({
  name: z.string(),
  sizeBytes: z.number(),
  family: z.string().optional(),
  parameterSize: z.string().optional(),
  quantization: z.string().optional(),
  /** The trained context length from `/api/show`; absent when Ollama did not say. */
  contextLength: z.number().optional(),
  modifiedAt: z.string().optional(),
  /**
   * How it fits this machine, by the catalogue's estimate from the size Ollama reports and the
   * layer shape `/api/show` gives; absent when Ollama runs on another host or did not say.
   */
  fit: modelFitSchema.optional(),
});
export type OllamaModel = z.infer<typeof ollamaModelSchema>;

export const ollamaPullStates = ['running', 'done', 'failed', 'cancelled'] as const;

export const ollamaPullProgressSchema = z.object({
  pullId: z.string(),
  name: z.string(),
  state: z.enum(ollamaPullStates),
  /** Ollama's own step ("pulling manifest", "verifying sha256 digest"). */
  status: z.string(),
  /** Bytes over every layer seen so far. */
  completedBytes: z.number(),
  totalBytes: z.number().nullable(),
  message: z.string().optional(),
});
export type OllamaPullProgress = z.infer<typeof ollamaPullProgressSchema>;

const target = { providerId: providerIdSchema.optional() };

export const ollamaChannels = {
  'ollama.status': { input: z.object(target).strict().optional(), output: ollamaStatusSchema },
  'ollama.models': {
    input: z.object(target).strict().optional(),
    output: z.object({ status: ollamaStatusSchema, models: z.array(ollamaModelSchema) }),
  },
  /** Starts a pull; progress comes as `ollama.pullProgress` events with this id. */
  'ollama.pull': { input: z.object({ name: ollamaModelNameSchema, ...target }).strict(), output: z.object({ pullId: z.string() }) },
  'ollama.cancelPull': { input: z.object({ pullId: z.string().max(100) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'ollama.delete': { input: z.object({ name: ollamaModelNameSchema, ...target }).strict(), output: z.object({ name: z.string() }) },
} as const;

export const ollamaEvents = {
  'ollama.pullProgress': ollamaPullProgressSchema,
} as const;
