import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../src-shared/AppError.ts';
import { defaultSandboxImages } from '../../src-shared/sandbox/sandboxTypes.ts';

/** The offline recipe: debootstrap + docker import (resources/sandbox/README.md). */
export const pythonImageScript = fileURLToPath(new URL('../../resources/sandbox/build-python-image.sh', import.meta.url));

export interface BuildImageOptions {
  tag?: string;
  /** Rebuild even when the tag exists (the script skips it otherwise). */
  force?: boolean;
  mirror?: string;
  /** The environment of the script (DOCKER_HOST, PATH, TMPDIR); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Each line the script prints, stdout and stderr alike, as it comes. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  /** Another script with the same interface (tests). */
  script?: string;
}

export interface BuildImageResult {
  tag: string;
  /** False when the tag was already there and nothing was built. */
  built: boolean;
  durationMs: number;
}

/** Lines of the script's output kept for the error message. */
const tailLines = 6;

/**
 * Builds the Python sandbox image with the offline recipe. It runs as a script rather than in
 * this process because debootstrap needs root and a chroot; a failure becomes SANDBOX_UNAVAILABLE
 * with the exit code and the last lines the script printed (the reason is nearly always there:
 * not root, debootstrap missing, the mirror unreachable).
 */
export async function buildImage(options: BuildImageOptions = {}): Promise<BuildImageResult> {
  const tag = options.tag ?? defaultSandboxImages.python;
  const script = options.script ?? pythonImageScript;
  const args = [script, '--tag', tag, ...(options.force ? ['--force'] : []), ...(options.mirror ? ['--mirror', options.mirror] : [])];
  const started = Date.now();
  const tail: string[] = [];
  let skipped = false;
  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, signal: options.signal, killSignal: 'SIGTERM' });
    const follow = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr') => {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        if (line.trim() === '') return;
        if (name === 'stdout' && line === `${tag} already exists (use --force to rebuild)`) skipped = true;
        tail.push(line);
        if (tail.length > tailLines) tail.shift();
        options.onLine?.(line, name);
      });
    };
    follow(child.stdout, 'stdout');
    follow(child.stderr, 'stderr');
    child.on('error', (error) => {
      if (error.name === 'AbortError') reject(new AppError('CANCELLED', `Building ${tag} was cancelled`));
      else reject(new AppError('SANDBOX_UNAVAILABLE', `Cannot run the image recipe ${script}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  if (result.code !== 0) {
    const how = result.code === null ? `stopped by ${result.signal ?? 'a signal'}` : `exit ${result.code}`;
    const output = tail.length > 0 ? `:\n${tail.join('\n')}` : ' without output';
    throw new AppError('SANDBOX_UNAVAILABLE', `Building ${tag} failed (${how})${output}`);
  }
  return { tag, built: !skipped, durationMs: Date.now() - started };
}
