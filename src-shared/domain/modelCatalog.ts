import { z } from 'zod';
import { hardwareInfoSchema } from './hardware.ts';
import { taskKinds } from './provider.ts';

/**
 * The shipped model catalogue (resources/models/catalog.json) and the catalogue as the faces see
 * it: every downloadable file with its fit for this machine. The file is data, checked with these
 * schemas when main loads it; `version` changes when its shape does.
 */
export const modelCatalogVersion = 1;

const bytes = z.number().int().positive();

export const catalogFileSchema = z
  .object({
    /** As the GGUF's name says it: "Q4_K_M", "Q8_0". */
    quantization: z.string().min(1).max(20),
    /** `hf:USER/REPO/FILE.gguf`, a file as published on Hugging Face. */
    uri: z.string().regex(/^hf:[^/\s]+\/[^/\s]+\/[^\s]+\.gguf$/, 'an hf:USER/REPO/FILE.gguf URI'),
    sizeBytes: bytes,
    /** The publisher's (Hugging Face LFS) SHA-256, where it is known; absent otherwise, never guessed. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .strict();
export type CatalogFile = z.infer<typeof catalogFileSchema>;

export const catalogLicenceSchema = z
  .object({
    /** SPDX id where there is one, else the licence's own short name. */
    id: z.string().min(1).max(60),
    name: z.string().min(1).max(120),
    url: z.url(),
    /** Whether the licence allows commercial use (with its conditions, which `name` links to). */
    commercialUse: z.boolean(),
  })
  .strict();

/** What an offline estimate needs: the weights' layer count and the KV cache's width per token. */
export const catalogShapeSchema = z
  .object({
    layers: z.number().int().positive(),
    /** Key plus value elements stored per token per layer (2 × KV heads × head size; MLA models less). */
    kvElementsPerTokenPerLayer: z.number().int().positive(),
  })
  .strict();

export const catalogModelSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,80}$/),
    name: z.string().min(1).max(80),
    family: z.string().min(1).max(40),
    publisher: z.string().min(1).max(60),
    parameters: bytes,
    /** Mixture-of-experts models: the parameters used per token. */
    activeParameters: bytes.optional(),
    shape: catalogShapeSchema,
    /** The context length the model was trained for (its GGUF's `context_length`). */
    contextLength: z.number().int().positive(),
    licence: catalogLicenceSchema,
    tasks: z.array(z.enum(taskKinds)).min(1),
    /** The catalogue's own ordering for coding work, 1-100 (higher is better); used after fit to sort. */
    quality: z.number().int().min(1).max(100),
    /** One sentence: what it is good at. */
    summary: z.string().min(1).max(300),
    files: z.array(catalogFileSchema).min(1).max(8),
  })
  .strict();
export type CatalogModel = z.infer<typeof catalogModelSchema>;

export const modelCatalogSchema = z
  .object({
    version: z.literal(modelCatalogVersion),
    /** When the entries were last checked against their publishers (YYYY-MM-DD). */
    revision: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    models: z.array(catalogModelSchema).min(1).max(200),
  })
  .strict();
export type ModelCatalog = z.infer<typeof modelCatalogSchema>;

/** How a file fits this machine: all on the GPU, on the CPU (whole or part), or not at all. */
export const fitVerdicts = ['gpu', 'cpu', 'too-big'] as const;
export type FitVerdict = (typeof fitVerdicts)[number];

export const modelFitSchema = z.object({
  verdict: z.enum(fitVerdicts),
  /** In words: "runs on GPU", "runs on CPU, slower", "too big". */
  label: z.string().min(1).max(40),
  /** The context (tokens) it can hold on this machine; 0 when too big. */
  contextSize: z.number().int().nonnegative(),
  gpuLayers: z.number().int().nonnegative(),
  totalLayers: z.number().int().positive(),
  /** Estimated memory with that context: system RAM and GPU memory. */
  ramBytes: z.number().int().nonnegative(),
  vramBytes: z.number().int().nonnegative(),
  /** Computed from the file's GGUF header, or estimated offline from the catalogue. */
  source: z.enum(['gguf-header', 'catalogue']),
  /** Why the estimate is offline, in words (only with source 'catalogue'). */
  note: z.string().max(400).optional(),
});
export type ModelFit = z.infer<typeof modelFitSchema>;

export const catalogEntryViewSchema = z.object({
  /** `MODEL-ID:QUANTIZATION`, unique in the catalogue. */
  id: z.string().min(1).max(120),
  model: catalogModelSchema.omit({ files: true }),
  file: catalogFileSchema,
  fit: modelFitSchema,
  /** Why this entry is (or is not) a good choice here, one or two sentences. */
  why: z.string().min(1).max(500),
  /** The one entry the app suggests for this machine (at most one in a view). */
  recommended: z.boolean(),
});
export type CatalogEntryView = z.infer<typeof catalogEntryViewSchema>;

export const catalogViewSchema = z.object({
  version: z.literal(modelCatalogVersion),
  revision: z.string(),
  hardware: hardwareInfoSchema,
  /** Sorted: by fit (GPU, CPU, too big), then quality. */
  entries: z.array(catalogEntryViewSchema).max(400),
});
export type CatalogView = z.infer<typeof catalogViewSchema>;
