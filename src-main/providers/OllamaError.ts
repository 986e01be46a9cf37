import { AppError } from '../../src-shared/AppError.ts';
import type { ErrorCode } from '../../src-shared/errorCodes.ts';

/** Why an Ollama management call failed; callers branch on this, never on the message. */
export type OllamaFailure = 'not-running' | 'unreachable' | 'not-found' | 'server' | 'malformed' | 'cancelled';

const codes: Record<OllamaFailure, ErrorCode> = {
  'not-running': 'PROVIDER_FAILED',
  unreachable: 'PROVIDER_FAILED',
  'not-found': 'NOT_FOUND',
  server: 'PROVIDER_FAILED',
  malformed: 'PROVIDER_FAILED',
  cancelled: 'CANCELLED',
};

/** A failed status, list, pull or delete, with a message that says what to do. */
export class OllamaError extends AppError {
  readonly failure: OllamaFailure;

  constructor(failure: OllamaFailure, message: string, options: { cause?: unknown } = {}) {
    super(codes[failure], message, { retryable: failure === 'unreachable', ...options });
    this.name = 'OllamaError';
    this.failure = failure;
  }
}

/** Whether the connection was refused somewhere in the error's causes (bounded: a chain can loop). */
export function isConnectionRefused(error: unknown): boolean {
  let current = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth += 1) {
    if ((current as { code?: unknown }).code === 'ECONNREFUSED') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** What a user reads when nothing listens at Ollama's address. */
export function notRunningMessage(host: string): string {
  return `Ollama is not running at ${host}: start the Ollama app or \`ollama serve\``;
}
