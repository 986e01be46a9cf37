import type { DeclaredPythonPackages } from '../validate/declaredPythonPackages.ts';
import { pythonStdlibModules } from '../validate/pythonStdlibModules.ts';

/** What an import pyright could not resolve (or resolved only to a bundled stub) means here. */
export type MissingImportVerdict =
  /** Not a problem: a declared package (installed in the sandbox, not here) or a pending file. */
  | { kind: 'ignore' }
  /** The importing file is wrong: a project module or relative import that is not there. */
  | { kind: 'file' }
  /** The dependency manifest is wrong: a third-party package nobody declared. */
  | { kind: 'manifest'; manifest: string };

export interface MissingImportContext {
  /** Top-level module names the project's own files (written or pending) provide. */
  projectModules: ReadonlySet<string>;
  declared: DeclaredPythonPackages;
  /** Planned files not written yet. */
  pending: readonly string[];
}

function isManifest(path: string): boolean {
  return /(^|\/)(requirements[^/]*\.(txt|in)|pyproject\.toml)$/.test(path);
}

/**
 * `module` is the dotted name as written in the import (`fastapi`, `app.models`, `.utils`);
 * `rule` is pyright's (`reportMissingImports`, or `reportMissingModuleSource` when only a
 * bundled stub was found: the package itself is not there).
 */
export function classifyMissingImport(module: string, rule: string, context: MissingImportContext): MissingImportVerdict {
  if (module.startsWith('.')) return { kind: 'file' };
  const top = module.split('.')[0] ?? module;
  if (context.projectModules.has(top)) {
    // A stub is only ever ours, written for a pending file.
    return rule === 'reportMissingModuleSource' ? { kind: 'ignore' } : { kind: 'file' };
  }
  if (context.declared.importNames.has(top.toLowerCase())) return { kind: 'ignore' };
  // Not in this Python's standard library although the name was once (distutils, imp): a real failure.
  if (pythonStdlibModules.has(top)) return { kind: 'file' };
  const manifest = context.declared.sources.find((path) => /requirements/.test(path)) ?? context.declared.sources[0];
  if (manifest !== undefined) return { kind: 'manifest', manifest };
  // The manifest is planned but not written yet: the check before docs sees it.
  if (context.pending.some(isManifest)) return { kind: 'ignore' };
  return { kind: 'file' };
}

/** Top-level module names of the project's Python files (`app/x.py` → app, `src/pkg/a.py` → pkg too). */
export function projectModuleNames(paths: Iterable<string>): Set<string> {
  const names = new Set<string>();
  for (const path of paths) {
    if (!/\.pyi?$/.test(path)) continue;
    const parts = path.split('/');
    const add = (part: string | undefined) => {
      if (part !== undefined) names.add(part.replace(/\.pyi?$/, ''));
    };
    add(parts[0]);
    if (parts[0] === 'src') add(parts[1]);
    // Test and script folders import their neighbours (pytest puts the folder on sys.path).
    if (parts.length > 1) add(parts.at(-1));
  }
  return names;
}
