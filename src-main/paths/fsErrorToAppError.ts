import { AppError } from '../../src-shared/AppError.ts';
import { fsProblemInWords } from './fsProblemInWords.ts';

const notThere = new Set(['ENOENT', 'ENOTDIR']);
/** Wrong with the path itself: the user fixes it by choosing another. */
const badPath = new Set(['EISDIR', 'ELOOP', 'ENAMETOOLONG']);
/** May pass on their own (space freed, a file released). */
const transient = new Set(['ENOSPC', 'EDQUOT', 'EBUSY', 'EMFILE', 'ENFILE', 'EAGAIN']);

/**
 * A failed file-system call on a path the user gave (a model to import, a folder to read) as a
 * typed AppError in words: NOT_FOUND when it is not there, INVALID_INPUT when the path itself is
 * wrong (a folder where a file was asked for), IO_FAILED otherwise (permissions, a full disk),
 * retryable when it may pass. The message names the path and what we were doing, never an errno
 * code or a stack; the original error stays as `cause` for logs. An AppError passes through.
 */
export function fsErrorToAppError(error: unknown, path: string, doing: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const shown = path.length > 300 ? `${path.slice(0, 300)}…` : path;
  const message = `Cannot ${doing} ${shown}: ${fsProblemInWords(error)}`;
  if (notThere.has(code)) return new AppError('NOT_FOUND', message, { cause: error });
  if (badPath.has(code)) return new AppError('INVALID_INPUT', message, { cause: error });
  return new AppError('IO_FAILED', message, { cause: error, retryable: transient.has(code) });
}
