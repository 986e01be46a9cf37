/** An output stream of the CLI; `isTTY` says whether a terminal shows it. */
export type CliStream = NodeJS.WritableStream & { isTTY?: boolean };

/** What the CLI touches of the outside world, injectable so tests run it in-process. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Resolves when the user asks a long-running command (serve) to stop. */
  waitForStop: () => Promise<void>;
  /**
   * Set by terminalSafeIo, whose stdout and stderr escape control characters: the streams as
   * given, for the app's own control sequences (progress bars, prompts' line editing) only.
   */
  raw?: { stdout: CliStream; stderr: CliStream };
}

export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  waitForStop: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};
