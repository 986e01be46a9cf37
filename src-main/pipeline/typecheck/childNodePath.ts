import { ProjectCheckFailed } from './ProjectCheckFailed.ts';

/**
 * The Node binary pyright runs under: this very Node (the CLI, `serve`). Inside the packaged
 * desktop app `process.execPath` is the app itself, and its fuses refuse ELECTRON_RUN_AS_NODE, so
 * spawning it would start a second app, not Node: there the check says it is unavailable instead
 * (the project's own tests still run in the sandbox). Running pyright in the desktop app needs an
 * Electron utility process speaking LSP over a socket, which is not built yet.
 */
export function childNodePath(): string {
  if (process.versions.electron !== undefined) {
    throw new ProjectCheckFailed('unavailable', 'The Python type check is not available in the desktop app yet (it runs in the command line and in "serve"); the project\'s own tests still run in the sandbox.');
  }
  return process.execPath;
}
