import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { binPath, repoRoot } from './cliProcess.ts';

const run = promisify(execFile);

/**
 * The CLI in a real terminal emulator: tmux on a private socket, one pane of a fixed size. Unlike
 * the bytes a pty received (ptyProcess.ts), `screen()` is what a person sees once every cursor
 * move, line clear and overwrite has been applied, so a line two writers drew over each other
 * shows up as the mess it is. The pane stays after the program exits, to read its last screen
 * and its exit status.
 */
export class TmuxTerminal {
  readonly #dir: string;
  readonly #socket: string;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#socket = join(dir, 'tmux.sock');
  }

  static async start(args: string[], env: NodeJS.ProcessEnv, size = { columns: 120, rows: 40 }): Promise<TmuxTerminal> {
    const terminal = new TmuxTerminal(mkdtempSync(join(tmpdir(), 'sc-tmux-')));
    const config = join(terminal.#dir, 'tmux.conf');
    writeFileSync(config, 'set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\n');
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv.SERVICE_CREATOR_DEBUG;
    delete childEnv.TMUX;
    if (env.SERVICE_CREATOR_HOME === undefined) delete childEnv.SERVICE_CREATOR_HOME;
    // The server starts with this environment and gives it to the pane; more than one word after
    // the options runs the program directly, no shell in between.
    await run('tmux', ['-S', terminal.#socket, '-f', config, 'new-session', '-d', '-s', 'cli', '-c', repoRoot, '-x', String(size.columns), '-y', String(size.rows), process.execPath, binPath, ...args], {
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
      const { stdout } = await this.#tmux('display-message', '-p', '-t', 'cli', '#{pane_dead} #{pane_dead_status} #{pane_dead_signal}');
      const [dead, status = '', signal = ''] = stdout.trim().split(' ');
      // tmux marks the pane dead when its output closes, a moment before it has reaped the
      // program: until then the status is empty (read as NaN on a busy machine). Wait for it.
      if (dead === '1' && status !== '') return Number(status);
      if (dead === '1' && signal !== '') throw new Error(`the program was killed by signal ${signal}; the screen:\n${await this.screen()}`);
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
