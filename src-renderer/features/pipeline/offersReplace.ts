import type { ErrorPayload } from '../../../src-shared/envelope.ts';

/**
 * Whether a failed export is one that "Replace what is there" would fix: the target holds
 * something already (TARGET_NOT_EMPTY) and replacing was not asked for. Decided on the error's
 * code, never its words, which may change or be translated.
 */
export function offersReplace(error: ErrorPayload | null, force: boolean): boolean {
  return error !== null && error.code === 'TARGET_NOT_EMPTY' && !force;
}
