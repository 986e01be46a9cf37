import { posix } from 'node:path';

/** Files pytest collects and imports itself (its default `python_files`, plus conftest.py). */
export function isPytestFile(path: string): boolean {
  return /^(test_.*|.*_test|conftest)\.py$/.test(posix.basename(path));
}

/**
 * Whether pytest is set to import test files some other way than its default "prepend" mode
 * (`--import-mode=importlib`, `consider_namespace_packages`), in which case we cannot tell a
 * test file's package and say nothing.
 */
export function pytestImportsOtherwise(files: readonly { path: string; content: string }[]): boolean {
  return files.some(
    (file) => /(^|\/)(pytest\.ini|pyproject\.toml|setup\.cfg|tox\.ini)$/.test(file.path) && /import[-_]mode\s*[=\s]\s*importlib|consider_namespace_packages\s*=\s*true/i.test(file.content),
  );
}

/**
 * Why a relative import (`from .helpers import x`, `from ..models import Rule`) fails at run time
 * in the file at `path`, or undefined when it can work. A relative import needs the module to
 * sit that many packages deep in its import name:
 * - pytest (prepend mode) imports a test file or conftest.py under the name made of the folders
 *   above it that have an `__init__.py` (stopping at the first without one): in `tests/` without
 *   `__init__.py`, `tests/test_a.py` is the top-level module `test_a`, and any relative import
 *   fails with "attempted relative import with no known parent package";
 * - other modules are imported from the project root or `src/` (`app.routes`), folders without
 *   `__init__.py` being namespace packages, so only climbing above the top folder fails; a
 *   top-level module (`main.py`) has no package at all, unless the root itself has `__init__.py`.
 */
export function relativeImportProblem(module: string, path: string, hasFile: (path: string) => boolean, pytestOtherwise: boolean): string | undefined {
  const level = /^\.*/.exec(module)?.[0].length ?? 0;
  if (level === 0) return undefined;
  const folder = posix.dirname(path) === '.' ? '' : posix.dirname(path);
  const rest = module.slice(level);
  const statement = `\`from ${module} import ...\``;
  if (isPytestFile(path)) {
    if (pytestOtherwise) return undefined;
    const packages: string[] = [];
    for (let current = folder; current !== '' && hasFile(`${current}/__init__.py`); current = posix.dirname(current) === '.' ? '' : posix.dirname(current)) packages.unshift(posix.basename(current));
    if (level <= packages.length) return undefined;
    const name = [...packages, posix.basename(path, '.py')].join('.');
    if (packages.length === 0) {
      const where = folder === '' ? 'the project root' : `${folder}/`;
      const absolute = rest === '' ? 'import the module by its name' : `write \`from ${rest} import ...\` (pytest puts ${where} on sys.path)`;
      return `uses the relative import ${statement}, but ${where} has no __init__.py, so pytest imports ${path} as the top-level module \`${name}\` and the import fails with "attempted relative import with no known parent package"; ${absolute}`;
    }
    return `uses the relative import ${statement}, which climbs ${level} levels, but pytest imports ${path} as \`${name}\` (only ${packages.length} package level${packages.length === 1 ? '' : 's'} have __init__.py), so it fails with "attempted relative import beyond top-level package"`;
  }
  const base = folder === 'src' ? '' : folder.startsWith('src/') ? folder.slice(4) : folder;
  const depth = base === '' ? 0 : base.split('/').length;
  if (level <= depth) return undefined;
  if (depth === 0) {
    if (hasFile('__init__.py')) return undefined;
    return `uses the relative import ${statement}, but ${path} is a top-level module (not inside a package), so the import fails with "attempted relative import with no known parent package"; import ${rest === '' ? 'the module' : `\`${rest}\``} by its absolute name`;
  }
  return `uses the relative import ${statement}, which climbs ${level} levels from \`${base.split('/').join('.')}\`, above the top-level package \`${base.split('/')[0] ?? ''}\`, so it fails with "attempted relative import beyond top-level package"`;
}
