import { spawn } from 'node:child_process';
import { binPath, repoRoot } from './cliProcess.ts';

/** What a pseudo-terminal session showed: every byte the terminal received, and the exit status. */
export interface PtyResult {
  /** All bytes the program wrote to the terminal, plus the terminal's own echo of what was typed. */
  screen: Buffer;
  code: number | null;
}

export interface PtyStep {
  /** Wait until the screen shows this text (or fail after the timeout). */
  waitFor: string;
  /** Then type these strings, one write each (a write of many characters is a paste). */
  type: string[];
}

// A real pseudo-terminal from Python's pty module (no native node module needed): the child's
// stdin, stdout and stderr are the pty's slave end, in cooked mode with echo on, exactly as in a
// terminal emulator, so whatever the terminal would echo shows up in `screen`.
const driver = String.raw`
import json, os, pty, select, subprocess, sys, time
spec = json.loads(sys.stdin.read())
master, slave = pty.openpty()
child = subprocess.Popen(spec["argv"], cwd=spec["cwd"], env=spec["env"], stdin=slave, stdout=slave, stderr=slave, start_new_session=True, close_fds=True)
os.close(slave)
screen = b""
steps = list(spec["steps"])
deadline = time.time() + spec["timeout"]
def pump(wait):
    global screen
    ready, _, _ = select.select([master], [], [], wait)
    if ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            return False
        if not data:
            return False
        screen += data
    return True
alive = True
while time.time() < deadline:
    if steps and steps[0]["waitFor"].encode() in screen:
        for text in steps.pop(0)["type"]:
            os.write(master, text.encode())
            time.sleep(0.05)
    alive = pump(0.05)
    if not alive or child.poll() is not None:
        while pump(0.2):
            pass
        break
try:
    code = child.wait(timeout=5)
except subprocess.TimeoutExpired:
    child.kill()
    code = child.wait()
sys.stdout.write(json.dumps({"screen": screen.hex(), "code": code, "pending": [s["waitFor"] for s in steps]}))
`;

/** Runs the CLI on a pseudo-terminal, typing each step's input once its prompt shows. */
export function runBinOnPty(args: string[], env: NodeJS.ProcessEnv, steps: PtyStep[], timeoutMs = 60_000): Promise<PtyResult & { pending: string[] }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, TERM: 'xterm' };
  delete childEnv.SERVICE_CREATOR_DEBUG;
  if (env.SERVICE_CREATOR_HOME === undefined) delete childEnv.SERVICE_CREATOR_HOME;
  const spec = { argv: [process.execPath, binPath, ...args], cwd: repoRoot, env: childEnv, steps, timeout: timeoutMs / 1000 };
  return new Promise((resolve, reject) => {
    const python = spawn('python3', ['-c', driver], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    python.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    python.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    python.on('error', reject);
    python.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`the pty driver failed (${code}): ${err}`));
        return;
      }
      const parsed = JSON.parse(out) as { screen: string; code: number | null; pending: string[] };
      resolve({ screen: Buffer.from(parsed.screen, 'hex'), code: parsed.code, pending: parsed.pending });
    });
    python.stdin.end(JSON.stringify(spec));
  });
}
