import { describe, expect, it } from 'vitest';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { offersReplace } from '../../../src-renderer/features/pipeline/offersReplace.ts';

const failure = (code: ErrorPayload['code'], message: string): ErrorPayload => ({ code, message, retryable: false });

describe('offersReplace (the export dialog)', () => {
  it('offers "Replace what is there" for an occupied target, whatever the words say', () => {
    expect(offersReplace(failure('TARGET_NOT_EMPTY', '/home/me/shop is not empty; nothing was written'), false)).toBe(true);
    expect(offersReplace(failure('TARGET_NOT_EMPTY', '/home/me/shop.zip exists already; nothing was written'), false)).toBe(true);
    expect(offersReplace(failure('TARGET_NOT_EMPTY', '/home/me/shop was filled by something else during the export; nothing was changed'), false)).toBe(true);
  });

  it('does not offer it when replace is ticked already, or for another code that happens to use the same words', () => {
    expect(offersReplace(failure('TARGET_NOT_EMPTY', '/home/me/shop is not empty; nothing was written'), true)).toBe(false);
    // A folder name that contains the words, refused for another reason: no replace would help.
    expect(offersReplace(failure('PROTECTED_PATH', 'Cannot write to /home/me/exists already/data: it is the app\'s data folder'), false)).toBe(false);
    expect(offersReplace(failure('IO_FAILED', 'Cannot list /mnt/is not empty: permission denied'), false)).toBe(false);
    expect(offersReplace(null, false)).toBe(false);
  });
});
