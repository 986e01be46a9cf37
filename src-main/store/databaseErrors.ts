import { AppError } from '../../src-shared/AppError.ts';

export class DatabaseFromFutureError extends AppError {
  constructor(path: string, found: number, supported: number) {
    super(
      'DB_FROM_FUTURE',
      `The database ${path} was written by a newer Service Creator (schema ${found}; this version knows up to ${supported}). ` +
        'Update the app; the file was left untouched.',
    );
    this.name = 'DatabaseFromFutureError';
  }
}

export class DatabaseCorruptError extends AppError {
  constructor(path: string, detail: string, cause?: unknown) {
    super(
      'DB_CORRUPT',
      `The database ${path} cannot be read (${detail}). It was left untouched; move it aside to start fresh, or restore a backup.`,
      { cause },
    );
    this.name = 'DatabaseCorruptError';
  }
}

export class DataDirUnwritableError extends AppError {
  constructor(dir: string, reason: string, cause?: unknown) {
    super(
      'DATA_DIR_UNWRITABLE',
      `The data folder ${dir} cannot be written (${reason}). Set SERVICE_CREATOR_HOME to a writable folder.`,
      { cause },
    );
    this.name = 'DataDirUnwritableError';
  }
}

/** Another process (the app, serve, a command) held the database's write lock past the busy timeout. */
export class DatabaseBusyError extends AppError {
  constructor(path: string, cause?: unknown) {
    super(
      'DB_BUSY',
      `The database ${path} is busy: another Service Creator process (the app, serve or a command) kept it locked for over 5 seconds. ` +
        'Try again in a moment; if it stays busy, end or resume that process (a command paused with Ctrl+Z holds it until it goes on).',
      { cause, retryable: true },
    );
    this.name = 'DatabaseBusyError';
  }
}
