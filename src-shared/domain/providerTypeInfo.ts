import { z } from 'zod';

/**
 * A provider type as the faces see it (the serialisable part of a descriptor in
 * src-main/providers/descriptors): the renderer builds its type list and form from this, the CLI
 * its `--type` choices. The list of types lives in main only; this file says their shape.
 */

/** The per-type fields of the add/edit form (id, label, limits and timeouts are common to all). */
export const providerFieldIds = ['baseUrl', 'local', 'models', 'apiKey', 'apiKeyEnv'] as const;
export type ProviderFieldId = (typeof providerFieldIds)[number];

export const providerFieldKinds = ['url', 'toggle', 'models', 'secret', 'text'] as const;
export type ProviderFieldKind = (typeof providerFieldKinds)[number];

export const providerFormFieldSchema = z
  .object({
    id: z.enum(providerFieldIds),
    kind: z.enum(providerFieldKinds),
    label: z.string().min(1).max(80),
    required: z.boolean(),
    /** In words, shown under the field. */
    help: z.string().max(400),
    placeholder: z.string().max(200).optional(),
  })
  .strict();
export type ProviderFormField = z.infer<typeof providerFormFieldSchema>;

/** Whether a provider of this type needs an API key. */
export const keyRequirements = ['required', 'none', 'unless-local-server'] as const;
export type KeyRequirement = (typeof keyRequirements)[number];

export const providerTypeInfoSchema = z
  .object({
    type: z.string().min(1).max(40),
    label: z.string().min(1).max(80),
    shortLabel: z.string().min(1).max(40),
    key: z.enum(keyRequirements),
    /** The conventional environment variable its SDK reads (OPENAI_API_KEY), if any. */
    envVar: z.string().max(80).optional(),
    defaultBaseUrl: z.string().max(200).optional(),
    /** Where requests go without a base URL, in words ("api.openai.com", "this machine"). */
    defaultHost: z.string().min(1).max(200),
    local: z.boolean(),
    /** The user may mark a server of this type as on this machine or the local network. */
    locationChoice: z.boolean(),
    /** Models come from the GGUF files in the model folders when none is named. */
    localModelFiles: z.boolean(),
    pricing: z.enum(['shipped-table', 'free']),
    fields: z.array(providerFormFieldSchema).max(10),
  })
  .strict();
export type ProviderTypeInfo = z.infer<typeof providerTypeInfoSchema>;
