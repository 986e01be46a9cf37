import { relative, sep } from 'node:path';
import { declaredPythonPackages } from '../validate/declaredPythonPackages.ts';
import { distributionOfImport } from '../validate/pythonImportNames.ts';
import { undeclaredImportFindings } from '../validate/undeclaredImport.ts';
import { classifyMissingImport, projectModuleNames } from './classifyMissingImport.ts';
import { importCycleFindings } from './importCycleFindings.ts';
import type { ProjectFinding } from './ProjectFinding.ts';
import type { PyrightDiagnostic } from './pyrightReport.ts';

const maxFindingChars = 600;
const importRules = new Set(['reportMissingImports', 'reportMissingModuleSource']);

/** The text a diagnostic's range covers (pyright puts an unresolved import's range on the module name). */
function rangeText(content: string, diagnostic: PyrightDiagnostic): string {
  const range = diagnostic.range;
  if (range === undefined || range.start.line !== range.end.line) return '';
  return (content.split('\n')[range.start.line] ?? '').slice(range.start.character, range.end.character);
}

export interface PyrightCheckedCopy {
  /** The folder pyright checked the files in (diagnostics name files under it). */
  project: string;
  /** Project-relative paths laid out there (files and stubs). */
  written: readonly string[];
  /** The stubs written for pending files: what pyright says of them is dropped. */
  stubs: ReadonlySet<string>;
}

/**
 * pyright's errors as findings on project files, whichever way pyright ran (CLI report or
 * language server). An import of a package the project does not declare becomes a finding on the
 * dependency manifest (requirements.txt) and one on the importing file (either may be the one to
 * fix); one of a declared package that is not installed here is no finding. An import cycle is a
 * finding on every project file in it.
 */
export function pyrightFindings(diagnostics: readonly PyrightDiagnostic[], copy: PyrightCheckedCopy, files: readonly { path: string; content: string }[], pending: readonly string[]): ProjectFinding[] {
  const contents = new Map(files.map((file) => [file.path, file.content]));
  const context = {
    projectModules: projectModuleNames([...copy.written, ...pending]),
    declared: declaredPythonPackages({ paths: files.map((file) => file.path), read: (path) => contents.get(path) }),
    pending,
  };
  const toProjectPath = (file: string) => relative(copy.project, file).split(sep).join('/');
  const findings: ProjectFinding[] = [];
  const seen = new Set<string>();
  const add = (finding: ProjectFinding) => {
    const key = `${finding.path}\n${finding.line}\n${finding.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ ...finding, message: finding.message.slice(0, maxFindingChars) });
  };
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity !== 'error') continue;
    const path = toProjectPath(diagnostic.file);
    const content = contents.get(path);
    // typeshed, our stubs for pending files, anything outside the copy.
    if (content === undefined || copy.stubs.has(path)) continue;
    const line = (diagnostic.range?.start.line ?? 0) + 1;
    const rule = diagnostic.rule ?? 'error';
    // Cycle chains and the like name files by their absolute temp path.
    const message = diagnostic.message.split(`${copy.project}${sep}`).join('');
    if (rule === 'reportImportCycles') {
      for (const finding of importCycleFindings(message, contents)) add({ ...finding, rule });
      continue;
    }
    if (!importRules.has(rule)) {
      add({ path, line, rule, message });
      continue;
    }
    const module = rangeText(content, diagnostic);
    const verdict = classifyMissingImport(module, rule, context);
    if (verdict.kind === 'file') add({ path, line, rule, message });
    if (verdict.kind === 'manifest') {
      const top = module.split('.')[0] ?? module;
      const declared = context.declared.distributions;
      const both = undeclaredImportFindings({ importer: path, line, module: top, distribution: distributionOfImport(top), manifest: verdict.manifest, declared, builtins: 'the Python standard library' });
      for (const finding of both) add({ path: finding.path, line: finding.line, rule, message: finding.message });
    }
  }
  return findings;
}
