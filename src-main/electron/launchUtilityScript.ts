import { utilityProcess } from 'electron';
import { firstOnly, runBehind, type NodeScriptLauncher } from '../pipeline/typecheck/NodeScriptLauncher.ts';

/**
 * The desktop app's way to run a Node script (the pyright language server): an Electron utility
 * process. The app's fuses refuse ELECTRON_RUN_AS_NODE, so spawning the app binary as Node is not
 * possible; a utility process is Node inside Electron's own process model, ended with the app. It
 * has no standard input, which is why the language server talks over a pipe.
 */
export const launchUtilityScript: NodeScriptLauncher = (script, args, options) => {
  const child = utilityProcess.fork(script, [...args], {
    cwd: options.cwd,
    env: options.env,
    execArgv: options.execArgv,
    stdio: ['ignore', 'ignore', 'pipe'],
    serviceName: 'Service Creator type checker',
  });
  child.once('spawn', () => runBehind(child.pid));
  return {
    get pid() {
      return child.pid;
    },
    stderr: child.stderr,
    onExit(listener) {
      const tell = firstOnly(listener);
      child.once('exit', (code) => tell(`it exited (code ${String(code)})`));
      child.once('error', (type) => tell(`it failed (${type})`));
    },
    kill: () => void child.kill(),
    // Utility processes end with the app; nothing holds its exit.
    unref: () => undefined,
  };
};
