/**
 * Every error that crosses a boundary (IPC, bridge, CLI) carries one of these codes.
 * The renderer and scripts branch on the code, never on the message text.
 */
export const errorCodes = [
  'INVALID_INPUT',
  'UNKNOWN_CHANNEL',
  'NOT_FOUND',
  'CONFLICT',
  'DB_FROM_FUTURE',
  'DB_CORRUPT',
  /** Another process kept the database locked past the busy timeout; trying again later may work (retryable). */
  'DB_BUSY',
  'DATA_DIR_UNWRITABLE',
  'UI_NOT_BUILT',
  'UNAUTHORIZED',
  'FORBIDDEN_ORIGIN',
  'TRANSPORT',
  'PROVIDER_FAILED',
  'NO_ROUTE',
  'INVALID_OUTPUT',
  'CANCELLED',
  'KEYCHAIN_UNAVAILABLE',
  /** No container engine answers (Docker not running or not installed), or the image is missing. */
  'SANDBOX_UNAVAILABLE',
  /** The project's own tests did not pass (failures, timeout, memory or process limit, no report). */
  'TESTS_FAILED',
  /** Reading or writing the user's files failed (disk full, file held open); the message has the system's reason. */
  'IO_FAILED',
  /**
   * The place a write goes holds something already (a folder with files, or a file) and is replaced
   * only when the caller asks to (`force`, "Replace what is there"); the message names the path.
   */
  'TARGET_NOT_EMPTY',
  /** A write on a user-given path would replace, hold or land inside the data, models, app or a system folder. */
  'PROTECTED_PATH',
  /** The privacy mode forbids what was asked (checking a cloud provider in Local-only mode); the message says how to allow it. */
  'BLOCKED_BY_PRIVACY_MODE',
  /** A spending budget has no room for the call, and no target within it (a local model) could take it; the message names the budget and what is left. */
  'BUDGET_EXCEEDED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];
