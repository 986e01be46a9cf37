/** A long command the user paused (Ctrl+C, SIGTERM in `generate`): it can go on; not an error. */
export const pausedExitCode = 130;

/** A command the user stopped (Ctrl+C, SIGTERM) that cannot go on (`chat`): 130 as well, as a shell reports a command Ctrl+C ended. */
export const stoppedExitCode = 130;

/** What stops a command that is waiting on something: Ctrl+C, a kill, the terminal closed. */
export const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Ends a command with an exit code other than 0 after the command printed its own outcome, which
 * is not an error (a paused `generate`): runCli returns the code and prints nothing more.
 */
export class CliExit extends Error {
  readonly exitCode: number;

  constructor(exitCode: number, reason: string) {
    super(reason);
    this.name = 'CliExit';
    this.exitCode = exitCode;
  }
}
