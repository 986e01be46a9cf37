import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/AppError.ts';
import { toExportError } from '../../../src-main/export/toExportError.ts';
import { fsErrorToAppError } from '../../../src-main/paths/fsErrorToAppError.ts';
import { fsProblemInWords } from '../../../src-main/paths/fsProblemInWords.ts';

const errno = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('file-system errors in words', () => {
  it('maps each errno to a code and words, never the errno or the syscall', () => {
    const cases: [string, string, string][] = [
      ['ENOENT', "ENOENT: no such file or directory, stat '/m/x.gguf'", 'NOT_FOUND'],
      ['EISDIR', 'EISDIR: illegal operation on a directory, read', 'INVALID_INPUT'],
      ['EACCES', "EACCES: permission denied, open '/m/x.gguf'", 'IO_FAILED'],
      ['ENOSPC', "ENOSPC: no space left on device, write '/m/x.gguf'", 'IO_FAILED'],
      ['EWEIRD', "EWEIRD: something odd happened, open '/m/x.gguf'", 'IO_FAILED'],
    ];
    for (const [code, message, expected] of cases) {
      const error = fsErrorToAppError(errno(code, message), '/m/x.gguf', 'read');
      expect(error.code).toBe(expected);
      expect(error.message).toMatch(/^Cannot read \/m\/x\.gguf: /);
      expect(error.message).not.toMatch(/\bE[A-Z]{3,}\b|open '|stat '|write '/);
    }
    expect(fsErrorToAppError(errno('ENOSPC', 'x'), '/m', 'write').retryable).toBe(true);
    expect(fsProblemInWords(errno('EWEIRD', "EWEIRD: something odd happened, rename '/a' -> '/b'"))).toBe('something odd happened');
  });

  it('passes an AppError through, and the export’s errors say words too', () => {
    const typed = new AppError('CONFLICT', 'taken');
    expect(fsErrorToAppError(typed, '/x', 'read')).toBe(typed);
    const exported = toExportError(errno('EACCES', "EACCES: permission denied, mkdir '/srv/out'"), 'create /srv/out');
    expect(exported).toMatchObject({ code: 'INVALID_INPUT', message: 'Could not create /srv/out: you do not have permission (check its owner and permissions)' });
  });
});
