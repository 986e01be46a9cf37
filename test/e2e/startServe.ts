import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (this file is test/e2e/startServe.ts). */
export const repoRoot = resolve(import.meta.dirname, '../..');
export const cliPath = join(repoRoot, 'bin/service-creator.js');
export const rendererIndex = join(repoRoot, 'out/renderer/index.html');

export interface ServeOptions {
  /** SERVICE_CREATOR_HOME for the server; a fresh temp dir when left out (see `ownsHome`). */
  home?: string;
  /** How long to wait for the `listening` line. */
  timeoutMs?: number;
  /** Extra environment for the server process. */
  env?: NodeJS.ProcessEnv;
  /** The port to listen on (a restart on the same address); a free one when left out. */
  port?: number;
}

export interface ServeHandle {
  /** The URL printed by serve, with `#token=`. */
  url: string;
  /** The same URL without the fragment (no token). */
  origin: string;
  port: number;
  token: string;
  home: string;
  /** True when startServe created `home` (stop() does not delete it; call removeHome). */
  ownsHome: boolean;
  pid: number;
  /** Date.now() right before the spawn, and when the listening line arrived (for the benchmark). */
  spawnedAt: number;
  listeningAt: number;
  /** Everything the server printed so far. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM, wait for exit (SIGKILL after 5 s); resolves the exit code (null when killed). */
  stop(): Promise<number | null>;
  /** Stops this server and starts another on the same home (new port, new token). */
  restart(): Promise<ServeHandle>;
}

/** A fresh, empty data dir for one test. */
export function makeHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'service-creator-e2e-'));
}

export async function removeHome(home: string): Promise<void> {
  await rm(home, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
}

/**
 * Starts `service-creator serve --port 0 --json` with the Node that runs us (Node 24 under npx /
 * npm scripts / playwright) and resolves once it prints its `listening` line. Rejects with the
 * server's output when it exits, prints an error, or stays silent past the timeout.
 */
export async function startServe(options: ServeOptions = {}): Promise<ServeHandle> {
  if (!existsSync(rendererIndex)) {
    throw new Error(`The UI is not built: ${rendererIndex} is missing. Run "npx electron-vite build" (npm run build) before the e2e tests.`);
  }
  const ownsHome = options.home === undefined;
  const home = options.home ?? (await makeHome());
  const timeoutMs = options.timeoutMs ?? 30_000;

  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', String(options.port ?? 0), '--json'], {
    cwd: repoRoot,
    // The first-run setup screen would stand in for Projects on a fresh home: off unless a spec (setup.spec.ts) turns it on.
    env: { ...process.env, SERVICE_CREATOR_FIRST_RUN: 'off', ...options.env, SERVICE_CREATOR_HOME: home, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolvePromise) => {
    child.once('exit', (code) => resolvePromise(code));
    child.once('error', () => resolvePromise(null));
  });
  const describe = () => `\n--- stdout ---\n${stdout.trim() || '(empty)'}\n--- stderr ---\n${stderr.trim() || '(empty)'}`;

  const listening = await new Promise<{ url: string; port: number; at: number }>((resolvePromise, reject) => {
    let buffered = '';
    let settled = false;
    const finish = (error?: Error, value?: { url: string; port: number; at: number }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      // Keep collecting output after the listening line, for failure messages.
      child.stdout.on('data', (chunk: string) => (stdout += chunk));
      if (error) {
        child.kill('SIGKILL');
        reject(error);
      } else if (value) resolvePromise(value);
    };
    const onData = (chunk: string) => {
      stdout += chunk;
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        let frame: { type?: unknown; url?: unknown; port?: unknown; error?: { message?: unknown } };
        try {
          frame = JSON.parse(line) as typeof frame;
        } catch {
          continue; // not a JSON line: kept in stdout for the error message
        }
        if (frame.type === 'listening' && typeof frame.url === 'string' && typeof frame.port === 'number') {
          return finish(undefined, { url: frame.url, port: frame.port, at: Date.now() });
        }
        if (frame.type === 'error') {
          return finish(new Error(`service-creator serve failed: ${String(frame.error?.message)}${describe()}`));
        }
      }
    };
    const timer = setTimeout(
      () => finish(new Error(`service-creator serve printed no "listening" line within ${timeoutMs} ms${describe()}`)),
      timeoutMs,
    );
    child.stdout.on('data', onData);
    void exited.then((code) => finish(new Error(`service-creator serve exited (code ${code}) before listening${describe()}`)));
  });

  const token = new URL(listening.url).hash.match(/token=([^&]+)/)?.[1];
  if (!token) {
    child.kill('SIGKILL');
    throw new Error(`The listening URL has no #token=: ${listening.url}`);
  }

  let stopping: Promise<number | null> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      try {
        return await exited;
      } finally {
        clearTimeout(killer);
      }
    })());

  const handle: ServeHandle = {
    url: listening.url,
    origin: listening.url.replace(/#.*$/, ''),
    port: listening.port,
    token,
    home,
    ownsHome,
    pid: child.pid ?? -1,
    spawnedAt,
    listeningAt: listening.at,
    output: () => ({ stdout, stderr }),
    stop,
    restart: async () => {
      await stop();
      return startServe({ ...options, home });
    },
  };
  return handle;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON lines (with --json). */
  lines: Array<Record<string, unknown>>;
}

/** Runs one CLI command (e.g. `projects create X --json`) against `home`. */
export function runCli(args: string[], home: string, timeoutMs = 30_000): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child: ChildProcess = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      env: { ...process.env, SERVICE_CREATOR_HOME: home, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service-creator ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const lines = stdout
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      resolvePromise({ code, stdout, stderr, lines });
    });
  });
}
