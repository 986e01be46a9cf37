import { posix } from 'node:path';

/** Where a Python module lives in the project. */
export interface PythonModuleLocation {
  /** `file`: `x.py`; `package`: `x/__init__.py`; `namespace`: a folder of .py files without one. */
  kind: 'file' | 'package' | 'namespace';
  /** The file for `file`/`package`, the folder for `namespace`. */
  path: string;
}

/** What a failed lookup tried, for messages that say where we looked. */
export interface PythonModuleMiss {
  candidates: string[];
  roots: string[];
}

/**
 * The project's Python files indexed for import resolution as Python would do it from the
 * project root: absolute imports against the root, `src/` (the src layout) and the importing
 * file's own folders (pytest puts test folders on `sys.path`, and `python scripts/x.py` puts
 * `scripts/` there, which is how `conftest` and test helpers import each other); relative imports
 * against the importing file's package.
 */
export class PythonModuleIndex {
  private readonly files: ReadonlySet<string>;
  private readonly folders: ReadonlySet<string>;

  constructor(paths: Iterable<string>) {
    const files = new Set<string>();
    const folders = new Set<string>();
    for (const path of paths) {
      if (!path.endsWith('.py') && !path.endsWith('.pyi')) continue;
      files.add(path);
      for (let folder = posix.dirname(path); folder !== '.' && !folders.has(folder); folder = posix.dirname(folder)) folders.add(folder);
    }
    this.files = files;
    this.folders = folders;
  }

  /**
   * Search roots for absolute imports from `fromPath` ('' is the project root): the root, `src/`,
   * and for test code (test_*.py, *_test.py, conftest.py, anything under a tests/ or test/
   * folder) the folder pytest puts on `sys.path` (the nearest one upward without __init__.py).
   * A file in a folder without __init__.py may also import its neighbours (a script folder). A
   * file inside a regular package may not: `from models import X` in app/routes.py fails when
   * the app runs as `app.main`.
   */
  roots(fromPath: string): string[] {
    const roots = ['', 'src'];
    const folderOf = (path: string): string => (posix.dirname(path) === '.' ? '' : posix.dirname(path));
    const folder = folderOf(fromPath);
    const isTest = /^(test_.*|.*_test|conftest)\.py$/.test(posix.basename(fromPath)) || /(^|\/)tests?\//.test(fromPath);
    if (isTest) {
      let base = folder;
      while (base !== '' && this.files.has(`${base}/__init__.py`)) base = folderOf(base);
      if (!roots.includes(base)) roots.push(base);
    } else if (folder !== '' && !this.files.has(`${folder}/__init__.py`) && !roots.includes(folder)) roots.push(folder);
    return roots;
  }

  /** The sibling module an absolute import meant when it should have been relative (`from models import X` inside app/). */
  siblingOf(module: string, fromPath: string): string | undefined {
    const folder = posix.dirname(fromPath);
    if (folder === '.' || module.startsWith('.')) return undefined;
    return this.locate(PythonModuleIndex.join(folder, module))?.path;
  }

  /** The folder a relative module (`.`, `..models`, `.models.rule`) starts from, or undefined above the root. */
  private relativeBase(module: string, fromPath: string): { base: string; rest: string } | undefined {
    const dots = /^\.*/.exec(module)?.[0].length ?? 0;
    let base = posix.dirname(fromPath);
    for (let up = 1; up < dots; up++) {
      if (base === '.' || base === '') return undefined;
      base = posix.dirname(base);
    }
    return { base: base === '.' ? '' : base, rest: module.slice(dots) };
  }

  private locate(folder: string): PythonModuleLocation | undefined {
    if (this.files.has(`${folder}.py`)) return { kind: 'file', path: `${folder}.py` };
    if (this.files.has(`${folder}.pyi`)) return { kind: 'file', path: `${folder}.pyi` };
    if (this.files.has(`${folder}/__init__.py`)) return { kind: 'package', path: `${folder}/__init__.py` };
    if (this.folders.has(folder)) return { kind: 'namespace', path: folder };
    return undefined;
  }

  private static join(root: string, parts: string): string {
    const relative = parts.split('.').join('/');
    return root === '' ? relative : `${root}/${relative}`;
  }

  /** Resolves `app.models`, `.models` or `..` from the file at `fromPath`; the miss says what was tried. */
  resolve(module: string, fromPath: string): PythonModuleLocation | PythonModuleMiss {
    if (module.startsWith('.')) {
      const relative = this.relativeBase(module, fromPath);
      if (relative === undefined) return { candidates: [], roots: [] };
      if (relative.rest === '') {
        if (relative.base === '') return { kind: 'namespace', path: '' };
        return this.locate(relative.base) ?? { candidates: [`${relative.base}/`], roots: [relative.base] };
      }
      const target = PythonModuleIndex.join(relative.base, relative.rest);
      return this.locate(target) ?? { candidates: [`${target}.py`, `${target}/__init__.py`], roots: [relative.base === '' ? '.' : relative.base] };
    }
    const roots = this.roots(fromPath);
    for (const root of roots) {
      const found = this.locate(PythonModuleIndex.join(root, module));
      if (found !== undefined) return found;
    }
    const relative = module.split('.').join('/');
    return { candidates: [`${relative}.py`, `${relative}/__init__.py`, `${relative}/`], roots: roots.map((root) => (root === '' ? 'the project root' : `${root}/`)) };
  }

  /** Whether `name` is a submodule of the package or namespace at `location` (`from app import models`). */
  hasSubmodule(location: PythonModuleLocation, name: string): boolean {
    const folder = location.kind === 'namespace' ? location.path : location.kind === 'package' ? posix.dirname(location.path) : undefined;
    if (folder === undefined) return false;
    return this.locate(folder === '' ? name : `${folder}/${name}`) !== undefined;
  }
}

export function isPythonModuleLocation(result: PythonModuleLocation | PythonModuleMiss): result is PythonModuleLocation {
  return 'kind' in result;
}
