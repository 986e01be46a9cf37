import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real CLI entry; run with `process.execPath` (Node 24 under vitest). */
export const binPath = fileURLToPath(new URL('../../bin/service-creator.js', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.SERVICE_CREATOR_DEBUG;
  delete base.SERVICE_CREATOR_HOME;
  return { ...base, ...env };
}

/** Runs the CLI to completion (stdin closed at once, so it is never a TTY). */
export function runBin(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot, env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service-creator ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout JSON line whose `type` matches. */
  waitForJson<T = Record<string, unknown>>(type: string, timeoutMs?: number): Promise<T>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` synchronously in the stdout handler that first sees a JSON line of `type`. */
  signalOnJson(type: string, signal: NodeJS.Signals): void;
}

/** Starts a long-running CLI command (serve). Kill it with `child.kill(...)`. */
export function startBin(args: string[], env: NodeJS.ProcessEnv): RunningCli {
  const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot, env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const listener of listeners) listener();
      resolve({ code, signal });
    });
  });

  const findJson = (type: string): unknown => {
    for (const line of stdout.split('\n')) {
      if (!line.trim()) continue;
      try {
        const value = JSON.parse(line) as { type?: unknown };
        if (value.type === type) return value;
      } catch {
        // not a JSON line (yet): ignore
      }
    }
    return undefined;
  };

  return {
    child,
    signalOnJson(type, signal) {
      const check = () => {
        if (findJson(type) === undefined) return;
        listeners.delete(check);
        child.kill(signal);
      };
      listeners.add(check);
      check();
    },
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForJson<T>(type: string, timeoutMs = 20_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          const found = findJson(type);
          if (found !== undefined) {
            cleanup();
            resolve(found as T);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before printing "${type}"; stdout: ${stdout}; stderr: ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no "${type}" line within ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}
