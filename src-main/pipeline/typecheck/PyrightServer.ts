import type { Socket } from 'node:net';
import { pyrightPackageFile } from './pyrightPackageFile.ts';
import { connectLanguageServer, languageServerPipe } from './connectLanguageServer.ts';
import { nodeScriptLauncher, type LaunchedScript } from './NodeScriptLauncher.ts';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspConnection, LspConnectionClosed } from './LspConnection.ts';
import { pendingStubSource } from './preparePyrightRun.ts';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';
import { pyrightPythonVersion } from './pyrightConfig.ts';
import type { PyrightDiagnostic } from './pyrightReport.ts';
import { PyrightWorkspace, warmupFile } from './PyrightWorkspace.ts';
import { serverSettings, toPyrightDiagnostic, type LspDiagnostic } from './pyrightServerSettings.ts';

export interface ServerCheckResult {
  /** The folder the files were checked in (diagnostics name files under it). */
  project: string;
  written: string[];
  diagnostics: PyrightDiagnostic[];
}

export interface ServerCheckOptions {
  signal?: AbortSignal;
  timeoutMs: number;
}

/** Workspaces kept at once (runs planned but never started keep theirs): past it the least recently used is closed. */
const maxWorkspaces = 4;
/** Emptied workspaces kept for the next runs: pyright keeps what it parsed of typeshed per workspace. */
const maxIdleWorkspaces = 2;
const removeFolder = (workspace: PyrightWorkspace) => ({ method: 'workspace/didChangeWorkspaceFolders', params: { event: { added: [], removed: [{ uri: workspace.uri, name: workspace.uri }] } } });
/** Quiet time after the server's last message before its state is judged (its messages of one pass come together). */
const settleMs = 15;
const maxMessageBytes = 16 * 1024 * 1024;
const stderrTailChars = 4096;

function languageServerEntry(): string {
  return pyrightPackageFile('langserver.index.js');
}

/**
 * One pyright language server (`pyright-langserver --stdio`) kept for the life of the app, so a
 * check pays for the changed files, not for starting pyright and parsing typeshed each time.
 * Hermetic as the CLI path: its own Node (process.execPath), no PATH, HOME and cwd in a private
 * 0700 temp root that also holds the empty Python environment every workspace points at. Each
 * run checks in its own workspace folder (`key`), closed with closeWorkspace. Checks are served
 * one at a time. A server that dies is started again on the next need, once within a check.
 */
export class PyrightServer {
  #child: LaunchedScript | undefined;
  #socket: Socket | undefined;
  #connection: LspConnection | undefined;
  #ready: Promise<void> | undefined;
  #warm = false;
  /** Between pyright/beginProgress and pyright/endProgress: an analysis pass left work for the next. */
  #analyzing = false;
  #root: string | undefined;
  #stderrTail = '';
  #nextFolder = 0;
  #stops = 0;
  readonly #workspaces = new Map<string, PyrightWorkspace>();
  /** Emptied workspaces of finished runs, warm, for the next runs. */
  #idle: PyrightWorkspace[] = [];
  readonly #listeners = new Set<() => void>();
  /** Waits to fail when the server goes. */
  readonly #closers = new Set<() => void>();
  #queue: Promise<unknown> = Promise.resolve();
  #exitHooked = false;

  /** The server's process id while one runs (tests check that none is left behind). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Started and initialized: a check now costs only the analysis. */
  get warm(): boolean {
    return this.#warm;
  }

  /** Starts the server if none runs (a run is being planned); never rejects. */
  start(): void {
    this.#start().catch(() => undefined);
  }

  /**
   * Readies the workspace of `key` for a run about to start (an emptied one kept from an earlier
   * run if there is one): the warm-up file checked and the planned Python files laid out as
   * pending stubs, so the run's checks only change files pyright knows. Never rejects.
   */
  prewarm(key: string, planned: readonly string[]): void {
    if (this.#workspaces.has(key)) return;
    const stubs = planned.filter((path) => path.endsWith('.py')).map((path) => ({ path, content: pendingStubSource }));
    this.check(key, [warmupFile], stubs, { timeoutMs: 120_000 }).catch(() => undefined);
  }

  /** The server runs and the workspace of `key` has been checked once: a check costs only the changed files. */
  warmFor(key: string): boolean {
    return this.#warm && this.#workspaces.get(key)?.checked === true;
  }

  /**
   * Checks the files in the workspace of `key`: they replace what that workspace held (stubs
   * too), every file is re-checked, and the result is what pyright reported for exactly these
   * versions. Past `timeoutMs` the server is stopped (it may be stuck) and the check fails
   * `timeout`; one that dies is restarted once, then the check fails `crashed`.
   */
  async check(key: string, files: readonly { path: string; content: string }[], stubs: readonly { path: string; content: string }[], options: ServerCheckOptions): Promise<ServerCheckResult> {
    options.signal?.throwIfAborted();
    const deadline = performance.now() + options.timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      const stops = this.#stops;
      const task = this.#queue.then(() => this.#checkNow(key, files, stubs, deadline, options));
      this.#queue = task.catch(() => undefined);
      try {
        return await task;
      } catch (error) {
        if (!(error instanceof LspConnectionClosed)) throw error;
        options.signal?.throwIfAborted();
        if (attempt > 0 || stops !== this.#stops) throw new ProjectCheckFailed('crashed', `The type checker (pyright) stopped while checking: ${error.message}`, { cause: error });
      }
    }
  }

  /** The run is over: its files are closed in the server and its folder removed. */
  closeWorkspace(key: string): Promise<void> {
    const task = this.#queue.then(() => {
      const workspace = this.#workspaces.get(key);
      if (workspace === undefined) return;
      this.#workspaces.delete(key);
      const keep = this.#idle.length < maxIdleWorkspaces && workspace.checked;
      this.#connection?.notify(keep ? workspace.close(false) : [...workspace.close(true), removeFolder(workspace)]);
      if (keep) this.#idle.push(workspace);
    });
    this.#queue = task.catch(() => undefined);
    return task;
  }

  /** Kills the server and removes its root; a later check starts a fresh one. */
  dispose(): void {
    this.#stops += 1;
    this.#stop(new LspConnectionClosed('The type checker was shut down.'));
  }

  async #checkNow(key: string, files: readonly { path: string; content: string }[], stubs: readonly { path: string; content: string }[], deadline: number, options: ServerCheckOptions): Promise<ServerCheckResult> {
    options.signal?.throwIfAborted();
    await this.#until(this.#start(), deadline, options.signal);
    const connection = this.#connection as LspConnection;
    let workspace = this.#workspaces.get(key);
    const evicted: { method: string; params: unknown }[] = [];
    if (workspace === undefined) {
      for (const [oldKey, old] of this.#workspaces) {
        if (this.#workspaces.size < maxWorkspaces) break;
        this.#workspaces.delete(oldKey);
        evicted.push(...old.close(true), removeFolder(old));
      }
      workspace = this.#idle.pop();
    }
    const added = workspace === undefined;
    workspace ??= new PyrightWorkspace(join(this.#root as string, `w${this.#nextFolder++}`), this.#root as string);
    // Most recently used last (Map order), for the eviction above.
    this.#workspaces.delete(key);
    this.#workspaces.set(key, workspace);
    const sync = workspace.sync(files, stubs);
    const folder = added ? [{ method: 'workspace/didChangeWorkspaceFolders', params: { event: { added: [{ uri: workspace.uri, name: `run ${this.#nextFolder}` }], removed: [] } } }] : [];
    connection.notify([...evicted, ...folder, ...sync.messages]);
    const checked = workspace;
    await this.#until(this.#reported(() => checked.reported(sync.expected)), deadline, options.signal);
    const diagnostics = [...sync.expected.keys()].flatMap((path) => checked.published.get(path)?.diagnostics ?? []);
    checked.checked = true;
    return { project: workspace.dir, written: sync.written, diagnostics };
  }

  #start(): Promise<void> {
    this.#ready ??= this.#spawn();
    return this.#ready;
  }

  async #spawn(): Promise<void> {
    const root = mkdtempSync(join(tmpdir(), 'sc-pyright-server-'));
    this.#root = root;
    // A process that exits without dispose (a test worker, a crash path) still takes its server and files along.
    if (!this.#exitHooked) {
      this.#exitHooked = true;
      process.once('exit', () => this.dispose());
    }
    mkdirSync(join(root, 'env', 'lib', `python${pyrightPythonVersion}`, 'site-packages'), { recursive: true, mode: 0o700 });
    // LSP over a private pipe rather than stdio: the desktop app starts pyright as an Electron
    // utility process, which has no standard input (NodeScriptLauncher).
    let connected: Awaited<ReturnType<typeof connectLanguageServer>>;
    try {
      connected = await connectLanguageServer(nodeScriptLauncher(), languageServerEntry(), {
        cwd: root,
        env: { PATH: '', HOME: root },
        execArgv: ['--max-old-space-size=2048'],
        pipe: languageServerPipe(root),
        connectTimeoutMs: 60_000,
      });
    } catch (error) {
      // The next check starts a fresh one.
      if (this.#root === root) this.#stop(new LspConnectionClosed('The type checker (pyright) could not start.'));
      throw error;
    }
    const { script: child, socket } = connected;
    if (this.#root !== root) {
      // Disposed while it started.
      child.kill();
      socket.destroy();
      throw new LspConnectionClosed('The type checker was shut down.');
    }
    this.#child = child;
    this.#socket = socket;
    this.#stderrTail = '';
    // The app's exit is not held up by its checker: pyright also exits when it sees its parent gone.
    child.unref();
    socket.unref();
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderrTail = (this.#stderrTail + chunk.toString('utf8')).slice(-stderrTailChars);
    });
    socket.on('error', () => undefined);
    const connection = new LspConnection(socket, socket, {
      maxMessageBytes,
      onNotification: (method, params) => this.#onNotification(method, params),
      onRequest: (method, params) => (method === 'workspace/configuration' ? serverSettings(params) : null),
      onProtocolError: (error) => this.#stop(new LspConnectionClosed(error.message)),
    });
    this.#connection = connection;
    child.onExit((why) => this.#exited(child, `${why} ${this.#stderrTail.trim().slice(-300)}`));
    socket.once('close', () => this.#exited(child, `its connection closed ${this.#stderrTail.trim().slice(-300)}`));
    await connection.request('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: [],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { dynamicRegistration: false } },
      },
      initializationOptions: {},
    });
    connection.notify([{ method: 'initialized', params: {} }]);
    if (this.#child === child) this.#warm = true;
  }

  #onNotification(method: string, params: unknown): void {
    if (method === 'pyright/beginProgress') this.#analyzing = true;
    if (method === 'pyright/endProgress') this.#analyzing = false;
    if (method === 'textDocument/publishDiagnostics') this.#published(params as { uri: string; version?: number; diagnostics: LspDiagnostic[] });
    for (const listener of this.#listeners) listener();
  }

  #published({ uri, version, diagnostics }: { uri: string; version?: number; diagnostics: LspDiagnostic[] }): void {
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return;
    }
    for (const workspace of this.#workspaces.values()) {
      if (path.startsWith(`${workspace.dir}/`)) workspace.published.set(path, { version, diagnostics: diagnostics.map((diagnostic) => toPyrightDiagnostic(path, diagnostic)) });
    }
  }

  /**
   * Resolves once every file was reported at its new version and the analysis is over. pyright
   * reports a file after parsing it too (an imported file is parsed before it is checked), so a
   * report at the right version is not enough: when an analysis pass leaves work for the next,
   * the server says so (pyright/beginProgress) right after that pass's reports, and says
   * pyright/endProgress when none is left. The state is judged once the server has been quiet
   * for `settleMs`, so a pass's progress message is read with its reports.
   */
  #reported(done: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const judge = () => {
        if (!done() || this.#analyzing) return;
        this.#listeners.delete(listener);
        resolve();
      };
      const listener = () => {
        clearTimeout(timer);
        timer = setTimeout(judge, settleMs);
      };
      this.#listeners.add(listener);
      listener();
    });
  }

  /** `promise` within the deadline and the signal; past the deadline the server is stopped. */
  #until<T>(promise: Promise<T>, deadline: number, signal: AbortSignal | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const closed = () => reject(new LspConnectionClosed('The type checker (pyright) stopped.'));
      const timer = setTimeout(() => {
        const error = new ProjectCheckFailed('timeout', `The type checker ran past its limit and was stopped.`);
        reject(error);
        this.#stop(new LspConnectionClosed(error.message));
      }, Math.max(0, deadline - performance.now()));
      const onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new DOMException('The project check was cancelled.', 'AbortError'));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#closers.add(closed);
      promise.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#closers.delete(closed);
      });
    });
  }

  #exited(child: LaunchedScript, why: string): void {
    if (this.#child !== child) return;
    this.#stop(new LspConnectionClosed(`The type checker (pyright) stopped: ${why}`));
  }

  #stop(reason: LspConnectionClosed): void {
    const child = this.#child;
    this.#child = undefined;
    this.#ready = undefined;
    this.#warm = false;
    this.#analyzing = false;
    this.#connection?.close(reason);
    this.#connection = undefined;
    child?.kill();
    this.#socket?.destroy();
    this.#socket = undefined;
    this.#workspaces.clear();
    this.#idle = [];
    this.#listeners.clear();
    for (const close of [...this.#closers]) close();
    if (this.#root !== undefined) rmSync(this.#root, { recursive: true, force: true });
    this.#root = undefined;
  }
}
