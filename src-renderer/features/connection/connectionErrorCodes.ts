import type { ErrorCode } from '../../../src-shared/errorCodes.ts';

/** Error codes that mean "the core could not be reached or refused us", not "the request was wrong". */
export const connectionErrorCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['TRANSPORT', 'UNAUTHORIZED', 'FORBIDDEN_ORIGIN']);
