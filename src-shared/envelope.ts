import { z } from 'zod';
import { errorCodes } from './errorCodes.ts';
import { AppError } from './AppError.ts';

/**
 * One reason an input was refused (INVALID_INPUT), as zod found it: where (the field's path),
 * what kind of problem (zod's issue code) and its bounds, so a face can say it in its own words
 * (both name the field by the label the forms show: inputIssuesSentence).
 */
export const inputIssueSchema = z.object({
  path: z.array(z.union([z.string().max(100), z.number()])).max(12),
  code: z.string().max(40),
  message: z.string().max(500),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  /** What was measured: string, array, number… */
  origin: z.string().max(40).optional(),
  /** For a refused format: url, email, uuid… */
  format: z.string().max(40).optional(),
  /** For a value not among the choices: the choices (what a command line types; a form shows its own labels). */
  values: z.array(z.union([z.string().max(100), z.number(), z.boolean(), z.null()])).max(20).optional(),
  /** The message is the schema's own sentence, written for people (not zod's default text). */
  worded: z.boolean().optional(),
});
export type InputIssue = z.infer<typeof inputIssueSchema>;

export const errorPayloadSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  retryable: z.boolean(),
  issues: z.array(inputIssueSchema).max(10).optional(),
});
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;

/** What every channel returns, on both transports: a value or a typed error, never a throw. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export const envelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorPayloadSchema }),
]);

export function ok<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export type Failure = { ok: false; error: ErrorPayload };

export function fail(error: AppError): Failure {
  const payload: ErrorPayload = { code: error.code, message: error.message, retryable: error.retryable };
  if (error.issues !== undefined) payload.issues = error.issues;
  return { ok: false, error: payload };
}

/** Turns an envelope back into a value, or throws the AppError it carries (for CLI and tests). */
export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  const { code, message, retryable, issues } = envelope.error;
  throw new AppError(code, message, { retryable, ...(issues ? { issues } : {}) });
}
