import type { ErrorCode } from './errorCodes.ts';

/** One refused field of an input (see inputIssueSchema in envelope.ts, which checks it on the wire). */
export interface AppErrorIssue {
  path: (string | number)[];
  code: string;
  message: string;
  minimum?: number;
  maximum?: number;
  origin?: string;
  format?: string;
  values?: (string | number | boolean | null)[];
  worded?: boolean;
}

export interface AppErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  /** For INVALID_INPUT: each refused field, so a face can word it (the message stays as it is). */
  issues?: AppErrorIssue[];
}

/**
 * Base of every error we raise on purpose. `message` is written for the user and names the
 * actual values involved; `code` is for programs. Electron keeps only the message of an error
 * thrown across IPC, so errors travel as envelopes built from these fields, never as throws.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly issues?: AppErrorIssue[];

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    if (options.issues !== undefined) this.issues = options.issues;
  }
}
