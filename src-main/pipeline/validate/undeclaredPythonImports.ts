import { declaredPythonPackages } from './declaredPythonPackages.ts';
import type { ModuleSymbols } from './ModuleSymbols.ts';
import { isPythonModuleLocation, type PythonModuleIndex } from './PythonModuleIndex.ts';
import { distributionOfImport } from './pythonImportNames.ts';
import { pythonStdlibModules } from './pythonStdlibModules.ts';
import { undeclaredImportFindings, type UndeclaredImportFinding } from './undeclaredImport.ts';

/** The manifest an undeclared package belongs in: a requirements file first, as pip installs from it. */
export function pythonManifestOf(sources: readonly string[]): string | undefined {
  return sources.find((path) => /requirements/.test(path)) ?? sources[0];
}

/**
 * Third-party imports of the project's Python files that no declared dependency provides (not
 * the standard library, not a project module), each a finding on the manifest and on the
 * importing file (see undeclaredImportFindings). Guarded imports (`except ImportError`) are
 * optional; a package module imported as a top-level sibling is checkPythonImports' finding.
 * One per module and file, at its first import. A project without a manifest gets none here.
 */
export function undeclaredPythonImports(files: readonly { path: string; content: string }[], symbols: ReadonlyMap<string, ModuleSymbols>, index: PythonModuleIndex): UndeclaredImportFinding[] {
  const contents = new Map(files.map((file) => [file.path, file.content]));
  const declared = declaredPythonPackages({
    paths: files.map((file) => file.path),
    read: (path) => contents.get(path),
  });
  const manifest = pythonManifestOf(declared.sources);
  // No manifest at all: nothing to check against (the project check blames the importing file
  // once no manifest is planned either).
  if (manifest === undefined) return [];
  const findings: UndeclaredImportFinding[] = [];
  for (const file of files) {
    const module = file.path.endsWith('.py') ? symbols.get(file.path) : undefined;
    if (module === undefined) continue;
    const reported = new Set<string>();
    for (const entry of module.imports) {
      if (entry.optional === true || entry.module.startsWith('.')) continue;
      const top = entry.module.split('.')[0] ?? entry.module;
      if (reported.has(top) || pythonStdlibModules.has(top) || declared.importNames.has(top.toLowerCase())) continue;
      if (isPythonModuleLocation(index.resolve(top, file.path)) || index.siblingOf(top, file.path) !== undefined) continue;
      reported.add(top);
      findings.push(
        ...undeclaredImportFindings({
          importer: file.path,
          line: entry.line,
          module: top,
          distribution: distributionOfImport(top),
          manifest,
          declared: declared.distributions,
          builtins: 'the Python standard library',
        }),
      );
    }
  }
  return findings;
}
