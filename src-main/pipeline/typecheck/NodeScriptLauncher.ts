import { setPriority } from 'node:os';
import { spawn } from 'node:child_process';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';

/** A Node script started by the app (the pyright language server), however it was started. */
export interface LaunchedScript {
  readonly pid: number | undefined;
  /** Its standard error, for the last words of a crash; null when the launcher keeps none. */
  readonly stderr: NodeJS.ReadableStream | null;
  /** Calls `listener` once when it exits or cannot start, with the reason in words. */
  onExit(listener: (why: string) => void): void;
  kill(): void;
  /** The app's exit is not held up by it. */
  unref(): void;
}

export interface NodeScriptOptions {
  cwd: string;
  /** The whole environment of the script (nothing of the app's is passed on). */
  env: Record<string, string>;
  /** Node's own flags (e.g. --max-old-space-size). */
  execArgv: string[];
}

/**
 * Starts `script` with `args` in a Node of the app's own. Its standard input and output are not
 * used: the script talks over a socket (a language server's `--pipe`), so a launcher that only
 * offers standard error (Electron's utility process) works as well as a child process.
 */
export type NodeScriptLauncher = (script: string, args: readonly string[], options: NodeScriptOptions) => LaunchedScript;

/**
 * The CLI and `serve`: this very Node (process.execPath) as a child process. Inside the desktop
 * app process.execPath is the app, whose fuses refuse ELECTRON_RUN_AS_NODE (it would start a second
 * app), so there the Electron entry registers a utility-process launcher instead
 * (electron/launchUtilityScript.ts); without one, the check says it is unavailable.
 */
export const childProcessLauncher: NodeScriptLauncher = (script, args, options) => {
  if (process.versions.electron !== undefined) {
    throw new ProjectCheckFailed('unavailable', 'The Python type check could not be started in this app window; the project\'s own tests still run in the sandbox.');
  }
  const child = spawn(process.execPath, [...options.execArgv, script, ...args], {
    cwd: options.cwd,
    env: { ...options.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  runBehind(child.pid);
  return {
    get pid() {
      return child.pid;
    },
    stderr: child.stderr,
    onExit(listener) {
      const tell = firstOnly(listener);
      child.once('error', (error) => tell(`it could not start: ${error.message}`));
      child.once('exit', (code, signal) => tell(`it exited (${signal ?? `code ${String(code)}`})`));
    },
    kill: () => void child.kill('SIGKILL'),
    unref() {
      child.unref();
      (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    },
  };
};

/** `listener`, called for the first of several ways a process can end (an error, then its exit) only. */
export function firstOnly(listener: (why: string) => void): (why: string) => void {
  let told = false;
  return (why) => {
    if (told) return;
    told = true;
    listener(why);
  };
}

let launcher: NodeScriptLauncher = childProcessLauncher;

/** The launcher scripts start with from now on (the Electron entry sets its own once, at start). */
export function setNodeScriptLauncher(next: NodeScriptLauncher): void {
  launcher = next;
}

export function nodeScriptLauncher(): NodeScriptLauncher {
  return launcher;
}

/**
 * The checker is background work: at a lower priority (nice 10) it takes the CPU the generation
 * leaves, instead of slowing the files being written. Where the system refuses, it runs as it is.
 */
export function runBehind(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, 10);
  } catch {
    // not permitted here: the check still runs, at the normal priority
  }
}
