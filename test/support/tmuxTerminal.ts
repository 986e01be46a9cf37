import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { binPath, repoRoot } from './cliProcess.ts';

const run = promisify(execFile);

/**
 * The CLI in a real terminal emulator: tmux on a private socket, one pane of a fixed size. Unlike
 * the bytes a pty received (ptyProcess.ts), `screen()` is what a person sees once every cursor
 * move, line clear and overwrite has been applied, so a line two writers drew over each other
 * shows up as the mess it is. The pane stays after the program exits, to read its last screen;
 * the exit status comes from the bash that ran it.
 */
export class TmuxTerminal {
  readonly #dir: string;
  readonly #socket: string;
  readonly #statusFile: string;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#socket = join(dir, 'tmux.sock');
    this.#statusFile = join(dir, 'exit-status');
  }

  static async start(args: string[], env: NodeJS.ProcessEnv, size = { columns: 120, rows: 40 }): Promise<TmuxTerminal> {
    const terminal = new TmuxTerminal(mkdtempSync(join(tmpdir(), 'sc-tmux-')));
    const config = join(terminal.#dir, 'tmux.conf');
    writeFileSync(config, 'set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\n');
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv.SERVICE_CREATOR_DEBUG;
    delete childEnv.TMUX;
    if (env.SERVICE_CREATOR_HOME === undefined) delete childEnv.SERVICE_CREATOR_HOME;
    // The server starts with this environment and gives it to the pane. bash runs the program in
    // the foreground (Ctrl+C reaches it as from any shell) and writes its exit status to a file:
    // tmux's own #{pane_dead_status} was sometimes never filled in on a loaded machine.
    const script = 'program="$1"; status="$2"; shift 2; "$program" "$@"; code=$?; printf "%s" "$code" > "$status.tmp" && mv "$status.tmp" "$status"';
    await run('tmux', ['-S', terminal.#socket, '-f', config, 'new-session', '-d', '-s', 'cli', '-c', repoRoot, '-x', String(size.columns), '-y', String(size.rows), 'bash', '-c', script, 'bash', process.execPath, terminal.#statusFile, binPath, ...args], {
      env: childEnv,
    });
    return terminal;
  }

  /** The pane's text as shown, history included, wrapped lines joined, trailing blanks dropped. */
  async screen(): Promise<string> {
    const { stdout } = await this.#tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'cli');
    return stdout
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n')
      .trimEnd();
  }

  /** Keys as tmux names them (`C-c`). */
  async press(...keys: string[]): Promise<void> {
    await this.#tmux('send-keys', '-t', 'cli', ...keys);
  }

  async waitForScreen(matches: (screen: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      if (matches(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The program's exit status, once it has exited. */
  async exited(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = existsSync(this.#statusFile) ? readFileSync(this.#statusFile, 'utf8').trim() : '';
      if (/^\d+$/.test(status)) return Number(status);
      if (Date.now() > deadline) throw new Error(`the program did not exit within ${timeoutMs} ms; the screen:\n${await this.screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    await this.#tmux('kill-server').catch(() => undefined);
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #tmux(...args: string[]): Promise<{ stdout: string }> {
    return run('tmux', ['-S', this.#socket, ...args]);
  }
}
