import { writeSync } from 'node:fs';

/**
 * The exit code when the reader of the output went away (`service-creator usage --csv | head -1`):
 * what a shell reports for a program a SIGPIPE ended (128 + 13), as `cat` or `git log` end there.
 */
export const closedOutputExitCode = 141;

/** The exit code when the output cannot be written for another reason (a full disk): a user error, the line says what to change. */
export const unwritableOutputExitCode = 1;

type ErrorSource = Pick<NodeJS.EventEmitter, 'on'>;

/**
 * Ends the process quietly when its output can no longer be written, instead of Node's
 * unhandled `'error'` event with a stack trace: a closed pipe (EPIPE) ends it at once with
 * `closedOutputExitCode` and nothing printed (whatever read it has stopped reading), any other
 * failure (a full disk, a terminal that has gone) with one line on stderr, when stderr can
 * still take it, and exit 1. For the process's own streams only (cliEntry installs it).
 */
export function endOnClosedOutput(streams: { stdout: ErrorSource; stderr: ErrorSource }, exit: (code: number) => void = (code) => process.exit(code), stderrFd = 2): void {
  let ended = false;
  const end = (code: number, line?: string) => {
    if (ended) return;
    ended = true;
    if (line !== undefined) {
      try {
        writeSync(stderrFd, `Error: ${line}\n`);
      } catch {
        // stderr cannot take it either: end without a word
      }
    }
    exit(code);
  };
  streams.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') end(closedOutputExitCode);
    else end(unwritableOutputExitCode, `The output could not be written: ${writeFailure(error.code)}.`);
  });
  streams.stderr.on('error', (error: NodeJS.ErrnoException) => end(error.code === 'EPIPE' ? closedOutputExitCode : unwritableOutputExitCode));
}

function writeFailure(code: string | undefined): string {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'there is no space left where it goes (free some, or send it elsewhere)';
    case 'EIO':
      return 'the terminal or device it goes to has gone';
    case 'EFBIG':
      return 'the file it goes to cannot grow any larger';
    default:
      return 'the system refused to write it';
  }
}
