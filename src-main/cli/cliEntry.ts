// What bin/service-creator.js runs: the CLI and the process's own streams. The entry of the CLI
// bundle (cli.vite.config.ts) and, when no fresh bundle exists, imported from source.
import { Console } from 'node:console';
import { processIo } from './CliIo.ts';
import { endOnClosedOutput } from './endOnClosedOutput.ts';
import { terminalSafeIo } from './terminalSafeIo.ts';

// Output piped into `head -1`, or a full disk: the process ends quietly, never with a stack trace.
endOnClosedOutput(process);

// What the app's modules print with `console` (a type check that could not run, a listener's
// failure) may quote a generated project, a model or a server: it passes the same escaping as
// every command's output, so no escape sequence in it reaches the terminal.
const safe = terminalSafeIo(processIo);
globalThis.console = new Console({ stdout: safe.stdout, stderr: safe.stderr });

export { runCli } from './runCli.ts';
export { processIo };
