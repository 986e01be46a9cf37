import { AppError } from '../../src-shared/AppError.ts';

/** A failure of a pipeline step as a typed error: ours as it is, anything else as a provider failure in its own words. */
export function asAppError(error: unknown): AppError {
  return error instanceof AppError ? error : new AppError('PROVIDER_FAILED', error instanceof Error ? error.message : String(error), { cause: error });
}
