import { z } from 'zod';
import { errorCodes } from './errorCodes.ts';
import { AppError } from './AppError.ts';

export const errorPayloadSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  retryable: z.boolean(),
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
  return { ok: false, error: { code: error.code, message: error.message, retryable: error.retryable } };
}

/** Turns an envelope back into a value, or throws the AppError it carries (for CLI and tests). */
export function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new AppError(envelope.error.code, envelope.error.message, { retryable: envelope.error.retryable });
}
