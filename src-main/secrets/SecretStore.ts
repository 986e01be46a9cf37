import { z } from 'zod';
import { AppError } from '../../src-shared/AppError.ts';

/** The keychain "service" every entry of ours is filed under; the account is the provider id. */
export const keychainServiceName = 'service-creator';

export const maxAccountLength = 100;
/** Limit on a secret's UTF-8 size: far above any API key, far below what keychains refuse. */
export const maxSecretBytes = 16 * 1024;

/**
 * Where API keys live. Implementations keep them in the OS keychain only; there is no plaintext
 * fallback anywhere. Accounts are provider ids (`openai-main`).
 */
export interface SecretStore {
  /** The secret, or `undefined` when none is stored for this account. */
  get(account: string): Promise<string | undefined>;
  /** Stores or replaces the secret. */
  set(account: string, secret: string): Promise<void>;
  /** `true` when a secret was deleted, `false` when there was none. */
  delete(account: string): Promise<boolean>;
  has(account: string): Promise<boolean>;
  /** The store in words, e.g. "Secret Service"; safe to show to the user. */
  readonly backend: string;
}

// Messages are fixed text: an account or secret that fails validation is never echoed, because a
// caller that swapped the arguments would otherwise put the secret into an error message.
const accountSchema = z
  .string({ error: 'A keychain account must be a string' })
  .min(1, 'A keychain account must not be empty')
  .max(maxAccountLength, `A keychain account is at most ${maxAccountLength} characters`)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'A keychain account uses only lowercase letters, digits, ".", "_" and "-", starting with a letter or digit');

const secretSchema = z
  .string({ error: 'A secret must be a string' })
  .min(1, 'A secret must not be empty')
  .refine((secret) => !secret.includes('\u0000'), 'A secret must not contain NUL characters')
  .refine((secret) => Buffer.byteLength(secret, 'utf8') <= maxSecretBytes, `A secret is at most ${maxSecretBytes} bytes (16 KiB) of UTF-8`);

function firstMessage(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'Invalid value';
}

/** The account, checked; AppError INVALID_INPUT naming the rule otherwise. */
export function validateAccount(account: unknown): string {
  const parsed = accountSchema.safeParse(account);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `${firstMessage(parsed.error)}.`);
  return parsed.data;
}

/** The secret, checked; AppError INVALID_INPUT naming the limit otherwise (never the secret). */
export function validateSecret(secret: unknown): string {
  const parsed = secretSchema.safeParse(secret);
  if (!parsed.success) throw new AppError('INVALID_INPUT', `${firstMessage(parsed.error)}.`);
  return parsed.data;
}
