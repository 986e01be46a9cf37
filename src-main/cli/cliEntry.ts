// What bin/service-creator.js runs: the CLI and the process's own streams. The entry of the CLI
// bundle (cli.vite.config.ts) and, when no fresh bundle exists, imported from source.
export { runCli } from './runCli.ts';
export { processIo } from './CliIo.ts';
