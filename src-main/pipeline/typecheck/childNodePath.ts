import { ProjectCheckFailed } from './ProjectCheckFailed.ts';

/**
 * The Node binary the one-shot pyright CLI runs under (the fallback when the language server
 * cannot run): this very Node (the CLI, `serve`). Inside the packaged desktop app
 * `process.execPath` is the app itself, and its fuses refuse ELECTRON_RUN_AS_NODE, so spawning it
 * would start a second app, not Node: there the fallback says it is unavailable (the language
 * server itself runs as an Electron utility process: NodeScriptLauncher).
 */
export function childNodePath(): string {
  if (process.versions.electron !== undefined) {
    throw new ProjectCheckFailed('unavailable', 'The Python type checker stopped, and its fallback does not run in the desktop app; the project\'s own tests still run in the sandbox.');
  }
  return process.execPath;
}
