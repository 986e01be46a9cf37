import { AppError } from '../../src-shared/AppError.ts';

/** The CANCELLED error of a call whose caller aborted it, with the caller's reason in words. */
export function cancelledError(signal: AbortSignal): AppError {
  return new AppError('CANCELLED', `Cancelled${signal.reason instanceof Error ? `: ${signal.reason.message}` : ''}`, { cause: signal.reason });
}
