import { z } from 'zod';
import { AppError, type AppErrorIssue } from '../../src-shared/AppError.ts';
import { contract, isChannel, type Channel } from '../../src-shared/contract.ts';
import { fail, ok, type Envelope } from '../../src-shared/envelope.ts';
import { scrubKnownSecretsDeep, scrubSecrets } from '../secrets/scrubSecrets.ts';
import type { Handlers } from './Handlers.ts';

export type Dispatch = (channel: string, input: unknown) => Promise<Envelope<unknown>>;

export interface DispatchOptions {
  /** Called with errors that are our bugs (not AppErrors), for the log. */
  onInternalError?: (channel: string, error: unknown) => void;
  /** The typed error a failure that is no bug stands for (the store's: a busy or damaged database), if any. */
  explain?: (error: unknown) => AppError | undefined;
}

/**
 * The single entry every transport calls. It never throws: unknown channels, invalid input,
 * typed failures and bugs all come back as envelopes, so a bad request cannot take a face down.
 * Results are parsed with the output schema too, so nothing undeclared (a secret, an internal
 * field) can leave the core by accident, and scrubbed of the keys in use; error messages are
 * scrubbed of anything key-shaped as well (they may quote a provider).
 */
export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (channel, input) => {
    if (!isChannel(channel)) {
      return fail(scrubbed(new AppError('UNKNOWN_CHANNEL', `Unknown channel "${String(channel).slice(0, 100)}"`)));
    }
    const spec = contract[channel];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      return fail(scrubbed(new AppError('INVALID_INPUT', `Invalid input for ${channel}: ${summarize(parsed.error)}`, { issues: inputIssues(parsed.error) })));
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        // A result that breaks the contract (a row edited by hand outside the app, or a bug): the issues go to the log, never
        // to a face (a zod path and a regular expression are no message for a person).
        options.onInternalError?.(channel, checked.error);
        return fail(new AppError('INTERNAL', `Internal error in ${channel}: what it read does not have the form the app expects (data changed outside the app, or a bug)`));
      }
      // The keys in use never leave the core, whatever a result came to hold.
      return ok(scrubKnownSecretsDeep(checked.data as unknown));
    } catch (error) {
      return fail(scrubbed(toAppError(channel, error, options)));
    }
  };
}

/** Every error message leaving the core passes here: keys and key-shaped strings are removed. */
function scrubbed(error: AppError): AppError {
  const message = scrubSecrets(error.message);
  const issues = error.issues?.map((issue) => ({ ...issue, message: scrubSecrets(issue.message) }));
  return message === error.message && issues === undefined ? error : new AppError(error.code, message, { retryable: error.retryable, ...(issues ? { issues } : {}) });
}

/** The first issues of a refused input, bounded, with what a face needs to word them (never the input's values). */
function inputIssues(error: z.ZodError): AppErrorIssue[] {
  return error.issues.slice(0, 10).map((issue) => {
    const bounds = issue as { minimum?: unknown; maximum?: unknown; origin?: unknown; format?: unknown; values?: unknown };
    const wordable: AppErrorIssue = {
      path: issue.path.slice(0, 12).map((part) => (typeof part === 'number' ? part : String(part).slice(0, 100))),
      code: issue.code.slice(0, 40),
      message: issue.message.slice(0, 500),
    };
    if (typeof bounds.minimum === 'number' || typeof bounds.minimum === 'bigint') wordable.minimum = Number(bounds.minimum);
    if (typeof bounds.maximum === 'number' || typeof bounds.maximum === 'bigint') wordable.maximum = Number(bounds.maximum);
    if (typeof bounds.origin === 'string') wordable.origin = bounds.origin.slice(0, 40);
    if (typeof bounds.format === 'string') wordable.format = bounds.format.slice(0, 40);
    if (issue.code === 'invalid_value' && Array.isArray(bounds.values)) {
      const values: NonNullable<AppErrorIssue['values']> = [];
      for (const value of (bounds.values as unknown[]).slice(0, 20)) {
        if (typeof value === 'string') values.push(value.slice(0, 100));
        else if (typeof value === 'number' || typeof value === 'boolean' || value === null) values.push(value);
      }
      wordable.values = values;
    }
    const own = zodsOwnText(issue);
    if (own !== undefined && issue.message !== own) wordable.worded = true;
    return wordable;
  });
}

function toAppError(channel: Channel, error: unknown, options: DispatchOptions): AppError {
  if (error instanceof AppError) return error;
  const explained = options.explain?.(error);
  if (explained) return explained;
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

const englishErrors = z.locales.en();

/** What zod itself says for an issue; a schema's own message differs from it. */
function zodsOwnText(issue: z.core.$ZodIssue): string | undefined {
  const { message: _message, path: _path, ...raw } = issue;
  try {
    const said = englishErrors.localeError({ ...raw, input: undefined } as never);
    return typeof said === 'string' ? said : said?.message;
  } catch {
    return undefined;
  }
}
