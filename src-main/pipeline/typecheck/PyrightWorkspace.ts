import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pyrightConfig } from './pyrightConfig.ts';
import type { PyrightDiagnostic } from './pyrightReport.ts';
import { safeProjectPath } from './safeProjectPath.ts';

/** What pyright said of one open file, for the version of it we sent. */
export interface PublishedDiagnostics {
  version: number | undefined;
  diagnostics: PyrightDiagnostic[];
}

export interface WorkspaceSync {
  /** LSP notifications that bring the server's view to the new files, to send as one batch. */
  messages: { method: string; params: unknown }[];
  /** Open files (absolute paths) and the version each must be reported at. */
  expected: Map<string, number>;
  written: string[];
}

const fileChange = { created: 1, changed: 2, deleted: 3 } as const;

/**
 * The file a workspace is warmed with (it imports what generated services usually do, so that
 * typeshed's builtins and those stubs are parsed before the first real check). It stays on disk
 * for the workspace's life: removing a file makes pyright drop its import caches and redo every
 * file, the cost the warm-up is there to avoid.
 */
export const warmupFile = { path: '__sc_warmup__.py', content: 'import collections, dataclasses, datetime, enum, json, logging, os, pathlib, re, typing, uuid\n' };

/**
 * One run's folder inside the language server's private root: the project's Python files and the
 * pending-file stubs on disk (pyright resolves imports through the file system), the project's
 * files also open in the server (so every check re-checks them and reports their diagnostics at
 * a version we know), and the pyrightconfig.json of the CLI path. Only the server's queue
 * touches it, one check at a time.
 */
export class PyrightWorkspace {
  readonly dir: string;
  readonly uri: string;
  readonly published = new Map<string, PublishedDiagnostics>();
  /** A check has completed here (the server has parsed what this workspace needs). */
  checked = false;
  /** Project-relative path -> content, of everything on disk (project files and stubs). */
  readonly #onDisk = new Map<string, string>();
  /** Absolute path -> version, of the files open in the server. */
  readonly #open = new Map<string, number>();
  readonly #venvPath: string;
  #config = '';

  /** `venvPath`: the folder holding the empty environment `env` (hermetic: see pyrightConfig). */
  constructor(dir: string, venvPath: string) {
    this.dir = dir;
    this.#venvPath = venvPath;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.uri = pathToFileURL(dir).href;
  }

  /**
   * Lays the new state on disk and says what to tell the server: watched-file changes for what
   * changed on disk, didClose for files gone, didOpen for new ones and a reopening of every other
   * open file, so that each is reported again at its new version.
   */
  sync(files: readonly { path: string; content: string }[], stubs: readonly { path: string; content: string }[]): WorkspaceSync {
    const wanted = new Map<string, string>();
    for (const file of [...files, ...stubs]) {
      const path = safeProjectPath(file.path);
      if (path !== undefined) wanted.set(path, file.content);
    }
    const stubPaths = new Set(stubs.map((stub) => stub.path));
    const changes: { uri: string; type: number }[] = [];
    for (const path of this.#onDisk.keys()) {
      if (wanted.has(path) || path === warmupFile.path) continue;
      rmSync(join(this.dir, path), { force: true });
      this.#onDisk.delete(path);
      changes.push({ uri: pathToFileURL(join(this.dir, path)).href, type: fileChange.deleted });
    }
    for (const [path, content] of wanted) {
      const previous = this.#onDisk.get(path);
      if (previous === content) continue;
      const target = join(this.dir, path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, content, { mode: 0o600 });
      this.#onDisk.set(path, content);
      changes.push({ uri: pathToFileURL(target).href, type: previous === undefined ? fileChange.created : fileChange.changed });
    }
    const extraPaths = [...wanted.keys()].some((path) => path.startsWith('src/')) ? ['src'] : [];
    const config = JSON.stringify(pyrightConfig({ venvPath: this.#venvPath, venv: 'env', extraPaths }), null, 2);
    if (config !== this.#config) {
      const target = join(this.dir, 'pyrightconfig.json');
      writeFileSync(target, config, { mode: 0o600 });
      changes.push({ uri: pathToFileURL(target).href, type: this.#config === '' ? fileChange.created : fileChange.changed });
      this.#config = config;
    }
    const messages: WorkspaceSync['messages'] = [];
    if (changes.length > 0) messages.push({ method: 'workspace/didChangeWatchedFiles', params: { changes } });
    const expected = new Map<string, number>();
    const openNow = new Set([...wanted.keys()].filter((path) => !stubPaths.has(path)).map((path) => join(this.dir, path)));
    for (const path of this.#open.keys()) {
      if (openNow.has(path)) continue;
      this.#open.delete(path);
      this.published.delete(path);
      messages.push({ method: 'textDocument/didClose', params: { textDocument: { uri: pathToFileURL(path).href } } });
    }
    for (const path of openNow) {
      const text = wanted.get(path.slice(this.dir.length + 1)) ?? '';
      const uri = pathToFileURL(path).href;
      const version = (this.#open.get(path) ?? 0) + 1;
      // Reopened rather than changed: pyright waits 250 ms after a didChange (typing) before it
      // analyses, not after a didOpen; an open resets what it last reported, so every file is
      // reported again at its new version.
      if (version > 1) messages.push({ method: 'textDocument/didClose', params: { textDocument: { uri } } });
      messages.push({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'python', version, text } } });
      this.#open.set(path, version);
      expected.set(path, version);
    }
    return { messages, expected, written: [...wanted.keys()] };
  }

  /** Every expected file has been reported at its expected version. */
  reported(expected: ReadonlyMap<string, number>): boolean {
    for (const [path, version] of expected) if (this.published.get(path)?.version !== version) return false;
    return true;
  }

  /**
   * Closes the run's files for another run to use the workspace, or with `remove` also removes
   * the folder. Kept, the files stay on disk (in the private root) until the next run's first
   * sync replaces them: a path both runs have is then a cheap change rather than a removal and
   * an addition (each makes pyright drop its import caches and redo every file).
   */
  close(remove: boolean): { method: string; params: unknown }[] {
    const messages = [...this.#open.keys()].map((path) => ({ method: 'textDocument/didClose', params: { textDocument: { uri: pathToFileURL(path).href } } }));
    this.#open.clear();
    this.published.clear();
    if (remove) {
      this.checked = false;
      rmSync(this.dir, { recursive: true, force: true });
    }
    return messages;
  }
}
