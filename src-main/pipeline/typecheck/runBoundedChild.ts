import { childNodePath } from './childNodePath.ts';
import { spawn } from 'node:child_process';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';

export interface BoundedChildOptions {
  cwd: string;
  /** The whole environment of the child: nothing of ours is inherited unless passed. */
  env: Record<string, string>;
  timeoutMs: number;
  /** Most bytes read from stdout; past it the child is killed. */
  maxStdoutBytes: number;
  signal?: AbortSignal;
}

export interface BoundedChildResult {
  exitCode: number | null;
  stdout: string;
  /** The last few KB of stderr, for the message when the child fails. */
  stderrTail: string;
  wallMs: number;
}

const stderrTailBytes = 4096;

/**
 * Runs `node <args>` (this very Node: process.execPath) as a child with a time limit, a cap on
 * what it may write, and the caller's abort signal; the child is killed on any of them (SIGKILL).
 */
export function runBoundedChild(args: readonly string[], options: BoundedChildOptions): Promise<BoundedChildResult> {
  options.signal?.throwIfAborted();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(childNodePath(), args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrTail = '';
    let failure: Error | undefined;
    const stop = (error: Error) => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new ProjectCheckFailed('timeout', `The type checker ran past its limit of ${Math.round(options.timeoutMs / 1000)} s and was stopped.`)), options.timeoutMs);
    const onAbort = () => stop(options.signal?.reason instanceof Error ? options.signal.reason : new DOMException('The project check was cancelled.', 'AbortError'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > options.maxStdoutBytes) {
        stop(new ProjectCheckFailed('output-too-large', `The type checker wrote more than ${options.maxStdoutBytes} bytes of report and was stopped.`));
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-stderrTailBytes);
    });
    child.on('error', (error) => stop(new ProjectCheckFailed('crashed', `The type checker could not start: ${error.message}`, { cause: error })));
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) {
        reject(failure);
        return;
      }
      resolve({
        exitCode,
        stdout: Buffer.concat(chunks).toString('utf8'),
        stderrTail,
        wallMs: performance.now() - started,
      });
    });
  });
}
