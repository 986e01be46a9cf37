import type { FileLanguage, PlanFile } from '../../../src-shared/pipeline/plan.ts';
import { analyzeModule, isCodeLanguage } from './analyzeModule.ts';
import type { ConsistencyFinding } from './ConsistencyFinding.ts';
import type { ImportedModule, ModuleSymbols } from './ModuleSymbols.ts';
import { isPythonModuleLocation, PythonModuleIndex, type PythonModuleLocation } from './PythonModuleIndex.ts';
import { pytestImportsOtherwise, relativeImportProblem } from './relativeImportProblem.ts';
import { checkHttpContract } from './checkHttpContract.ts';
import { isRelativeSpecifier, resolveScriptModule } from './resolveScriptModule.ts';
import { undeclaredPythonImports } from './undeclaredPythonImports.ts';

export type { ConsistencyFinding } from './ConsistencyFinding.ts';

interface ProjectFile {
  path: string;
  language: FileLanguage;
  content: string;
}

function list(items: readonly string[], max = 15): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`;
}

class ProjectGraph {
  readonly findings: ConsistencyFinding[] = [];
  private readonly symbols: ReadonlyMap<string, ModuleSymbols>;
  private readonly files: ReadonlySet<string>;
  private readonly python: PythonModuleIndex;

  constructor(paths: readonly string[], symbols: ReadonlyMap<string, ModuleSymbols>) {
    this.symbols = symbols;
    this.files = new Set(paths);
    this.python = new PythonModuleIndex(paths);
  }

  private add(path: string, entry: ImportedModule, kind: ConsistencyFinding['kind'], target: string, message: string): void {
    this.findings.push({ path, line: entry.line, kind, target, message: `${path} line ${entry.line} ${message}` });
  }

  /** Names importable from a Python module: its definitions, names it imports, and `from x import *` of project modules. */
  private pythonNames(path: string, seen = new Set<string>()): { names: Set<string>; open: boolean } {
    const module = this.symbols.get(path);
    if (module === undefined || seen.has(path)) return { names: new Set(), open: module === undefined };
    seen.add(path);
    const names = new Set([...module.exports, ...module.imported]);
    let open = module.open;
    for (const entry of module.imports) {
      if (!entry.names.includes('*')) continue;
      const found = this.python.resolve(entry.module, path);
      if (!isPythonModuleLocation(found) || found.kind === 'namespace') {
        open ||= isPythonModuleLocation(found) || !entry.module.startsWith('.');
        continue;
      }
      const inner = this.pythonNames(found.path, seen);
      inner.names.forEach((name) => names.add(name));
      open ||= inner.open;
    }
    return { names, open };
  }

  /** Exports of a TS/JS module, following `export * from './x'` through project files. */
  private scriptNames(path: string, seen = new Set<string>()): { names: Set<string>; open: boolean } {
    const module = this.symbols.get(path);
    if (module === undefined || seen.has(path)) return { names: new Set(), open: module === undefined };
    seen.add(path);
    const names = new Set(module.exports);
    let open = module.open;
    for (const entry of module.imports) {
      if (entry.reexport !== true || !entry.names.includes('*')) continue;
      const found = isRelativeSpecifier(entry.module) ? resolveScriptModule(entry.module, path, this.files) : undefined;
      if (found === undefined || !('path' in found)) {
        open = true;
        continue;
      }
      const inner = this.scriptNames(found.path, seen);
      inner.names.forEach((name) => names.add(name));
      open ||= inner.open;
    }
    names.delete('default');
    if (module.exports.includes('default')) names.add('default');
    return { names, open };
  }

  checkPython(path: string, module: ModuleSymbols, pytestOtherwise: boolean): void {
    for (const entry of module.imports) {
      // A guarded import whose handler imports a replacement: the replacement is checked on its own.
      if (entry.fallbackImports === true) continue;
      const relative = entry.module.startsWith('.');
      if (!relative && !isPythonModuleLocation(this.python.resolve(entry.module.split('.')[0] ?? '', path))) continue; // third-party or stdlib
      const guard = entry.optional === true ? '; it sits in try/except ImportError, but the handler binds no working replacement, so the code would run with a placeholder' : '';
      const problem = relative ? relativeImportProblem(entry.module, path, (file) => this.files.has(file), pytestOtherwise) : undefined;
      if (problem !== undefined) {
        this.add(path, entry, 'relative-import', entry.module, problem);
        continue;
      }
      const found = this.python.resolve(entry.module, path);
      if (!isPythonModuleLocation(found)) {
        const tried = found.candidates.length === 0 ? 'it climbs above the project root' : `the project has no ${orList(found.candidates.filter((candidate) => !candidate.endsWith('/')))}`;
        this.add(path, entry, 'missing-module', entry.module, `imports ${entry.module}, but ${tried}${guard}`);
        continue;
      }
      for (const name of entry.names) {
        if (name !== '*') this.checkPythonName(path, entry, found, name, guard);
      }
    }
  }

  private checkPythonName(path: string, entry: ImportedModule, found: PythonModuleLocation, name: string, guard: string): void {
    if (this.python.hasSubmodule(found, name)) return;
    if (found.kind === 'namespace') {
      const folder = found.path === '' ? 'the project root' : `${found.path}/`;
      this.add(path, entry, 'missing-symbol', name, `imports ${name} from ${entry.module}, but ${folder} has no __init__.py and no module ${name}.py${guard}`);
      return;
    }
    const { names, open } = this.pythonNames(found.path);
    if (open || names.has(name)) return;
    const defined = this.symbols.get(found.path)?.exports ?? [];
    const what = defined.length === 0 ? 'which defines nothing at top level' : `which defines only ${list(defined)}`;
    this.add(path, entry, 'missing-symbol', name, `imports ${name} from ${found.path}, ${what}${guard}`);
  }

  checkScript(path: string, module: ModuleSymbols): void {
    for (const entry of module.imports) {
      if (!isRelativeSpecifier(entry.module)) continue; // packages and path aliases: not project files we can see
      const found = resolveScriptModule(entry.module, path, this.files);
      if (!('path' in found)) {
        const tried = found.candidates.length === 0 ? 'it points outside the project' : `the project has no ${orList(found.candidates)}`;
        this.add(path, entry, 'missing-module', entry.module, `imports '${entry.module}', but ${tried}`);
        continue;
      }
      const target = this.symbols.get(found.path);
      if (target === undefined) continue; // JSON, CSS, ...: existence is all we check
      const { names, open } = this.scriptNames(found.path);
      if (open) continue;
      for (const name of entry.names) {
        if (name === '*' || names.has(name)) continue;
        const what = target.unexported.includes(name)
          ? `which defines ${name} but does not export it`
          : names.size === 0
            ? 'which exports nothing'
            : `which exports only ${list([...names])}`;
        this.add(path, entry, 'missing-symbol', name, `imports ${name} from ${found.path}, ${what}`);
      }
    }
  }
}

/**
 * The static import graph of a generated project (contract-first generation, ARCHITECTURE.md):
 * every import between project files must reach an existing module and a name that module
 * defines or exports. Python: `from app.models import Rule`, `import app.models`, relative
 * imports (which must sit inside a package when they run: see relativeImportProblem), package
 * re-exports and `from x import *` between project modules, guarded imports of project modules
 * whose handler binds only a placeholder; TS/JS: relative `import`/`export ... from`/`require()`,
 * `.js` specifiers mapped to `.ts` sources, index files, `export *` chains. Third-party and
 * standard-library imports are not followed; a Python import of a package no manifest declares
 * is a finding on the manifest and on the importing file (undeclaredPythonImports). With the plan: promised endpoints are served with their method and status
 * (checkPlannedRoutes) and test files request only promised or served routes and expect the
 * promised statuses (checkTestRequests). Findings are sorted by file and line.
 */
export async function checkConsistency(files: readonly ProjectFile[], plan: readonly PlanFile[] = []): Promise<ConsistencyFinding[]> {
  const symbols = new Map<string, ModuleSymbols>();
  for (const file of files) {
    const language = file.language;
    if (isCodeLanguage(language)) symbols.set(file.path, await analyzeModule({ path: file.path, language, content: file.content }));
  }
  const graph = new ProjectGraph(
    files.map((file) => file.path),
    symbols,
  );
  const pytestOtherwise = pytestImportsOtherwise(files);
  for (const file of files) {
    const module = symbols.get(file.path);
    if (module === undefined) continue;
    if (file.language === 'python') graph.checkPython(file.path, module, pytestOtherwise);
    else graph.checkScript(file.path, module);
  }
  const undeclared = undeclaredPythonImports(files, symbols, new PythonModuleIndex(files.map((file) => file.path))).map(
    (finding): ConsistencyFinding => ({ path: finding.path, line: finding.line, message: finding.message, kind: 'undeclared-package', target: finding.module }),
  );
  const findings = [...graph.findings, ...undeclared, ...(await checkHttpContract(files, plan))];
  return findings.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
}
