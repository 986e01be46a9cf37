import { posix } from 'node:path';
import { declaredPythonPackages } from './declaredPythonPackages.ts';
import type { FileProblem } from './FileProblem.ts';
import type { ModuleSymbols } from './ModuleSymbols.ts';
import type { ProjectFiles } from './ProjectFiles.ts';
import { isPythonModuleLocation, PythonModuleIndex } from './PythonModuleIndex.ts';
import { pythonStdlibModules } from './pythonStdlibModules.ts';

function list(items: readonly string[], max = 12): string {
  if (items.length === 0) return 'nothing';
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/**
 * Every import of a Python file must resolve: the standard library, a project module (see
 * {@link PythonModuleIndex}) or a package the project declares (requirements*.txt,
 * pyproject.toml; test frameworks such as pytest too). Only the top-level module name of an
 * absolute import is checked here; whether `app.models` exists and defines what is imported is
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
      const found = index.resolve(top, path);
      if (!isPythonModuleLocation(found)) {
        const sibling = index.siblingOf(top, path);
        const declaredText =
          declared.sources.length === 0
            ? 'the project declares no dependencies (no requirements.txt or pyproject.toml)'
            : `it is not declared in ${declared.sources.join(' or ')} (declared: ${list(declared.distributions)})`;
        message = sibling
          ? `imports \`${top}\` as a top-level module, but ${sibling} sits in the package ${posix.dirname(path)}/; import it as \`.${top}\` or \`${posix.dirname(path).split('/').join('.')}.${top}\``
          : `imports \`${top}\`, which is not in the Python standard library, not a project module (looked for ${found.candidates.join(', ')} in ${found.roots.join(', ')}), and ${declaredText}`;
      }
    }
    if (message !== undefined) {
      reported.add(top);
      problems.push({ path, rule: 'import', line: entry.line, message: `line ${entry.line}: ${message}` });
    }
  }
  return problems;
}
