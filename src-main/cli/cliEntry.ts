// What bin/service-creator.js runs: the CLI and the process's own streams. The entry of the CLI
// bundle (cli.vite.config.ts) and, when no fresh bundle exists, imported from source.
import { endOnClosedOutput } from './endOnClosedOutput.ts';

// Output piped into `head -1`, or a full disk: the process ends quietly, never with a stack trace.
endOnClosedOutput(process);

export { runCli } from './runCli.ts';
export { processIo } from './CliIo.ts';
