import { AppError } from '../../../src-shared/AppError.ts';
import type { CliIo } from '../CliIo.ts';

/**
 * Waits for background work (a test run, a repair) to end. The first stop request (Ctrl+C,
 * SIGTERM: `io.waitForStop`) calls `stop` (cancel) and keeps waiting until the work has
 * cleaned up after itself (containers removed, the outcome recorded), so the process never
 * exits with a container still running or a write to a closed database pending. A CONFLICT from
 * `stop` means the work ended on its own meanwhile.
 */
export async function waitOrStop<T>(io: CliIo, done: Promise<T>, stop: () => Promise<unknown> | void): Promise<{ value: T; stopped: boolean }> {
  const first = await Promise.race([done.then((value) => ({ value })), io.waitForStop().then(() => undefined)]);
  if (first) return { value: first.value, stopped: false };
  try {
    await stop();
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
  }
  return { value: await done, stopped: true };
}
