import { spawn } from 'node:child_process';
import { binPath, repoRoot } from './cliProcess.ts';

/**
 * Runs the real CLI on a real pseudo-terminal (Python's os.forkpty: stdin, stdout and stderr of
 * the CLI are the terminal, so isTTY is true) and returns every byte the terminal received,
 * stdout and stderr interleaved as a terminal shows them. Input is none: the terminal's stdin
 * stays open but silent. `size` sets the terminal's columns and rows (default: the pty's own).
 */
export function runCliInPty(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
  size?: { columns: number; rows: number },
): Promise<{ code: number | null; bytes: Buffer }> {
  // The window size is set in the child before exec, so the CLI sees it from its first line.
  const setSize = size ? [`    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ${size.rows}, ${size.columns}, 0, 0))`] : [];
  const script = [
    'import fcntl, os, struct, sys, termios',
    'pid, fd = os.forkpty()',
    'if pid == 0:',
    ...setSize,
    '    os.execve(sys.argv[1], sys.argv[1:], os.environ)',
    'out = bytearray()',
    'while True:',
    '    try:',
    '        chunk = os.read(fd, 65536)',
    '    except OSError:',
    '        break',
    '    if not chunk:',
    '        break',
    '    out += chunk',
    '_, status = os.waitpid(pid, 0)',
    'sys.stdout.buffer.write(bytes(out))',
    'sys.exit(os.waitstatus_to_exitcode(status))',
  ].join('\n');
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.SERVICE_CREATOR_DEBUG;
  delete base.SERVICE_CREATOR_HOME;
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script, process.execPath, binPath, ...args], { cwd: repoRoot, env: { ...base, TERM: 'xterm', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service-creator ${args.join(' ')} on a pty did not finish within ${timeoutMs} ms; ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, bytes: Buffer.concat(chunks) });
    });
  });
}
