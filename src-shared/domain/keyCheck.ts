import { z } from 'zod';

/**
 * "Check key" in the provider form: one model-list request with a key that is not saved yet.
 * `accepted`: the provider listed its models with it; `rejected`: 401/403; `unreachable`: no
 * answer; `failed`: any other answer. `message` is in words, bounded, and never holds the key.
 */
export const keyCheckOutcomes = ['accepted', 'rejected', 'unreachable', 'failed'] as const;

export const keyCheckSchema = z.object({
  outcome: z.enum(keyCheckOutcomes),
  /** The host that was contacted ("api.openai.com"). */
  host: z.string(),
  message: z.string().max(600),
});
export type KeyCheck = z.infer<typeof keyCheckSchema>;
