import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './cliProcess.ts';

const script = fileURLToPath(new URL('./callingProcess.ts', import.meta.url));

export interface CallingProcess {
  child: ChildProcess;
  /** Asks for one call (run after those asked before), or `flush`. */
  send(command: { op: 'chat'; id: number; prompt: string; maxTokens?: number } | { op: 'flush'; holdMs?: number }): void;
  /** Resolves with the first stdout JSON line of this type. */
  waitFor(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Kills it with SIGKILL synchronously in the stdout handler that first sees a line of this type. */
  killOn(type: string): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts test/support/callingProcess.ts (a real core in its own process) on a data folder. */
export function startCallingProcess(dataDir: string, env: NodeJS.ProcessEnv): CallingProcess {
  const child = spawn(process.execPath, [script, dataDir], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of complete) if (line.trim().startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    for (const listener of [...listeners]) listener();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const listener of [...listeners]) listener();
      resolve({ code, signal });
    });
  });
  const find = (type: string) => lines.find((line) => line.type === type);
  return {
    child,
    send: (command) => child.stdin.write(`${JSON.stringify(command)}\n`),
    waitFor: (type, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no "${type}" line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        const done = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          const found = find(type);
          if (found) resolve(found);
          else reject(error ?? new Error(`exited before "${type}"; stderr: ${stderr}`));
        };
        const check = () => {
          if (find(type) || child.exitCode !== null || child.signalCode !== null) done();
        };
        listeners.add(check);
        check();
      }),
    killOn: (type) => {
      const check = () => {
        if (!find(type)) return;
        listeners.delete(check);
        child.kill('SIGKILL');
      };
      listeners.add(check);
      check();
    },
    exited,
  };
}
