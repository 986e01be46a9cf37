import { pyrightPackageFile } from './pyrightPackageFile.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pyrightConfig, pyrightPythonVersion } from './pyrightConfig.ts';
import { writePrivateCopy, type PrivateCopy } from './writePrivateCopy.ts';

export interface PyrightRun {
  copy: PrivateCopy;
  /** The stubs written for pending files (`app/x.pyi`): what pyright says of them is dropped. */
  stubs: ReadonlySet<string>;
  /** Arguments for `node` (process.execPath). */
  args: string[];
  env: Record<string, string>;
}

/**
 * What a file the plan promises but that is not written yet looks like to the checker: a stub
 * whose every name is `Any` (PEP 562 module `__getattr__`), so a layer's files may import what a
 * later layer will write without a finding, and nothing about it is guessed.
 */
export const pendingStubSource = 'from typing import Any\n\ndef __getattr__(name: str) -> Any: ...\n';

/**
 * The Python files of a check and the stubs standing in for pending ones: `app/x.pyi` for the CLI;
 * `app/x.py` itself for the language server (`asSource`), so that when the file is written it is
 * a change of a file pyright knows (cheap: that file and its importers are checked again) rather
 * than a file added and a stub removed (pyright then drops its import caches and redoes every file).
 */
export function pythonLayout(files: readonly { path: string; content: string }[], pending: readonly string[], asSource = false): { python: { path: string; content: string }[]; stubs: { path: string; content: string }[] } {
  const python = files.filter((file) => file.path.endsWith('.py') || file.path.endsWith('.pyi'));
  const present = new Set(python.map((file) => file.path));
  const stubs = pending.filter((path) => path.endsWith('.py') && !present.has(path)).map((path) => ({ path: asSource ? path : `${path}i`, content: pendingStubSource }));
  return { python, stubs };
}

/** The pyright CLI's entry: `index.js` tells it where its bundled typeshed is (dist/). */
function pyrightEntry(): string {
  return pyrightPackageFile('index.js');
}

/**
 * Lays out one pyright check in a private temp folder: the project's Python files, stubs for the
 * pending ones, an empty Python environment and the config; the child gets an environment of
 * its own (no PATH, so no host `python` to ask even if pyright wanted to).
 */
export function preparePyrightRun(files: readonly { path: string; content: string }[], pending: readonly string[]): PyrightRun {
  const { python, stubs } = pythonLayout(files, pending);
  const copy = writePrivateCopy([...python, ...stubs]);
  try {
    mkdirSync(join(copy.dir, 'env', 'lib', `python${pyrightPythonVersion}`, 'site-packages'), { recursive: true, mode: 0o700 });
    const extraPaths = copy.written.some((path) => path.startsWith('src/')) ? ['src'] : [];
    const configPath = join(copy.project, 'pyrightconfig.json');
    writeFileSync(configPath, JSON.stringify(pyrightConfig({ venvPath: copy.dir, venv: 'env', extraPaths }), null, 2), { mode: 0o600 });
    return {
      copy,
      stubs: new Set(stubs.map((stub) => stub.path)),
      args: ['--max-old-space-size=2048', pyrightEntry(), '--outputjson', '-p', configPath],
      env: { ELECTRON_RUN_AS_NODE: '1', PATH: '', HOME: copy.dir },
    };
  } catch (error) {
    copy.dispose();
    throw error;
  }
}

