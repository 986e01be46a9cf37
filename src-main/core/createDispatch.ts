import type { z } from 'zod';
import { AppError } from '../../src-shared/AppError.ts';
import { contract, isChannel, type Channel } from '../../src-shared/contract.ts';
import { fail, ok, type Envelope } from '../../src-shared/envelope.ts';
import type { Handlers } from './Handlers.ts';

export type Dispatch = (channel: string, input: unknown) => Promise<Envelope<unknown>>;

export interface DispatchOptions {
  /** Called with errors that are our bugs (not AppErrors), for the log. */
  onInternalError?: (channel: string, error: unknown) => void;
}

/**
 * The single entry every transport calls. It never throws: unknown channels, invalid input,
 * typed failures and bugs all come back as envelopes, so a bad request cannot take a face down.
 * Results are parsed with the output schema too, so nothing undeclared (a secret, an internal
 * field) can leave the core by accident.
 */
export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (channel, input) => {
    if (!isChannel(channel)) {
      return fail(new AppError('UNKNOWN_CHANNEL', `Unknown channel "${String(channel).slice(0, 100)}"`));
    }
    const spec = contract[channel];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      return fail(new AppError('INVALID_INPUT', `Invalid input for ${channel}: ${summarize(parsed.error)}`));
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      return ok(spec.output.parse(value) as unknown);
    } catch (error) {
      return fail(toAppError(channel, error, options));
    }
  };
}

function toAppError(channel: Channel, error: unknown, options: DispatchOptions): AppError {
  if (error instanceof AppError) return error;
  options.onInternalError?.(channel, error);
  const detail = error instanceof Error ? error.message : String(error);
  return new AppError('INTERNAL', `Internal error in ${channel}: ${detail}`, { cause: error });
}

/** "name: A project name cannot be empty; id: A project id is a UUID" — short enough for a toast. */
export function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}
