import type { ErrorCode } from './errorCodes.ts';

export interface AppErrorOptions {
  retryable?: boolean;
  cause?: unknown;
}

/**
 * Base of every error we raise on purpose. `message` is written for the user and names the
 * actual values involved; `code` is for programs. Electron keeps only the message of an error
 * thrown across IPC, so errors travel as envelopes built from these fields, never as throws.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}
