import { AppError } from '../../src-shared/AppError.ts';
import { fsProblemInWords } from '../paths/fsProblemInWords.ts';

/** Errors that mean the chosen place cannot take the export, which the user can fix by choosing another. */
const placeProblems = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENAMETOOLONG', 'EISDIR']);
/** Errors that may pass on their own (a full disk freed, a file briefly held by another program). */
const transientProblems = new Set(['ENOSPC', 'EBUSY', 'EMFILE', 'ENFILE', 'EAGAIN']);

/**
 * Turns a failure of the file system during an export into an AppError whose message says what
 * we were doing and the system's own reason. An AppError passes through unchanged. A place the
 * user chose that cannot be written is INVALID_INPUT (choose another folder); anything else is
 * IO_FAILED.
 */
export function toExportError(error: unknown, doing: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const reason = fsProblemInWords(error); // words for a dialog: no errno code, no syscall
  const message = `Could not ${doing}: ${reason}`;
  if (placeProblems.has(code)) return new AppError('INVALID_INPUT', message, { cause: error });
  return new AppError('IO_FAILED', message, { cause: error, retryable: transientProblems.has(code) });
}
