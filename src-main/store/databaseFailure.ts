import type { AppError } from '../../src-shared/AppError.ts';
import { DatabaseBusyError, DatabaseCorruptError, DataDirUnwritableError } from './databaseErrors.ts';
import { dirname } from 'node:path';

/**
 * A failure of SQLite itself while the app runs (not while opening: openDatabase words those),
 * as the typed error a person can act on: the database held by another process past the busy
 * timeout, damaged pages found only when read, a folder or disk that no longer takes writes.
 * Undefined for anything else (a bug stays an internal error). By SQLite's result code, never its text.
 */
export function databaseFailure(error: unknown, databasePath: string): AppError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  const is = (prefix: string) => code === prefix || code.startsWith(`${prefix}_`);
  if (is('SQLITE_BUSY') || is('SQLITE_LOCKED')) return new DatabaseBusyError(databasePath, error);
  if (is('SQLITE_CORRUPT') || is('SQLITE_NOTADB')) return new DatabaseCorruptError(databasePath, 'it is damaged: SQLite found pages it cannot read', error);
  const folder = dirname(databasePath);
  if (is('SQLITE_FULL')) return new DataDirUnwritableError(folder, 'the disk is full', error);
  if (is('SQLITE_READONLY')) return new DataDirUnwritableError(folder, 'the database can only be read now: the folder or its disk is read-only', error);
  if (is('SQLITE_IOERR') || is('SQLITE_CANTOPEN')) return new DataDirUnwritableError(folder, 'the system refused to read or write the database file', error);
  return undefined;
}
