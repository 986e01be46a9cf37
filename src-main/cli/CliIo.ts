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
      if (!listening) {
        listening = true;
        process.on('SIGINT', onStopSignal);
        process.on('SIGTERM', onStopSignal);
      }
      stopWaiters.add(resolve);
    }),
};

/**
 * Ctrl+C and SIGTERM go to whoever waits for a stop. Our listeners stay installed for the life of
 * the process: a one-shot listener removes itself before the others run, and a library that
 * watches signals to clean up (signal-exit, used by a lock file under the model downloader)
 * then sees itself alone and kills the process with the signal again, so `serve` died by SIGTERM
 * instead of stopping cleanly. They are installed by the first wait (a command that never waits
 * handles its signals itself); a signal that finds nobody waiting keeps its usual effect.
 */
const stopWaiters = new Set<() => void>();
let listening = false;
const onStopSignal = (signal: NodeJS.Signals) => {
  if (stopWaiters.size === 0) {
    process.off('SIGINT', onStopSignal);
    process.off('SIGTERM', onStopSignal);
    listening = false;
    process.kill(process.pid, signal);
    return;
  }
  const waiting = [...stopWaiters];
  stopWaiters.clear();
  for (const resolve of waiting) resolve();
};
