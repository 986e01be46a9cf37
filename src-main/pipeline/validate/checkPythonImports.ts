import { posix } from 'node:path';
import { declaredPythonPackages } from './declaredPythonPackages.ts';
import type { FileProblem } from './FileProblem.ts';
import type { ModuleSymbols } from './ModuleSymbols.ts';
import type { ProjectFiles } from './ProjectFiles.ts';
import { isPythonModuleLocation, PythonModuleIndex } from './PythonModuleIndex.ts';
import { pythonStdlibModules } from './pythonStdlibModules.ts';

/**
 * The imports of one Python file that are wrong whatever the rest of the project holds: a
 * relative import that resolves to nothing, a module of the file's own package imported as a
 * top-level one. A third-party package no manifest declares is not this file's problem alone
 * (undeclaredPythonImports, in the consistency check, blames the manifest and this file). Only
 * the top-level module name of an absolute import is checked here; whether `app.models` exists and defines what is imported is
 * the consistency check's job. Imports guarded by `except ImportError` are optional and skipped.
 * One problem per unresolved module, at its first import.
 */
export function checkPythonImports(path: string, symbols: ModuleSymbols, project: ProjectFiles): FileProblem[] {
  const index = new PythonModuleIndex([...project.paths, path]);
  const declared = declaredPythonPackages(project);
  const problems: FileProblem[] = [];
  const reported = new Set<string>();
  for (const entry of symbols.imports) {
    if (entry.optional === true) continue;
    const relative = entry.module.startsWith('.');
    const top = relative ? entry.module : (entry.module.split('.')[0] ?? entry.module);
    if (reported.has(top)) continue;
    let message: string | undefined;
    if (relative) {
      const found = index.resolve(entry.module, path);
      if (!isPythonModuleLocation(found)) {
        const folder = posix.dirname(path) === '.' ? 'the project root' : `${posix.dirname(path)}/`;
        message =
          found.candidates.length === 0
            ? `imports \`${entry.module}\`, which climbs above the project root from ${folder}`
            : `imports \`${entry.module}\` relative to ${folder}, but the project has no ${found.candidates.join(' or ')}`;
      }
    } else if (!pythonStdlibModules.has(top) && !declared.importNames.has(top.toLowerCase())) {
      // A third-party package the manifest lacks is a cross-file finding (undeclaredPythonImports):
      // the manifest may be written later, or be the file to fix.
      const sibling = isPythonModuleLocation(index.resolve(top, path)) ? undefined : index.siblingOf(top, path);
      if (sibling !== undefined) {
        message = `imports \`${top}\` as a top-level module, but ${sibling} sits in the package ${posix.dirname(path)}/; import it as \`.${top}\` or \`${posix.dirname(path).split('/').join('.')}.${top}\``;
      }
    }
    if (message !== undefined) {
      reported.add(top);
      problems.push({ path, rule: 'import', line: entry.line, message: `line ${entry.line}: ${message}` });
    }
  }
  return problems;
}
