import { relative, sep } from 'node:path';
import { declaredPythonPackages } from '../validate/declaredPythonPackages.ts';
import { classifyMissingImport, projectModuleNames } from './classifyMissingImport.ts';
import { preparePyrightRun } from './preparePyrightRun.ts';
import { ProjectCheckFailed } from './ProjectCheckFailed.ts';
import type { ProjectCheckOptions } from './ProjectCheckOptions.ts';
import type { ProjectFinding } from './ProjectFinding.ts';
import { pyrightReport, type PyrightDiagnostic } from './pyrightReport.ts';
import { runBoundedChild } from './runBoundedChild.ts';

const maxReportBytes = 8 * 1024 * 1024;
const maxFindingChars = 600;
const importRules = new Set(['reportMissingImports', 'reportMissingModuleSource']);

/** The text a diagnostic's range covers (pyright puts an unresolved import's range on the module name). */
function rangeText(content: string, diagnostic: PyrightDiagnostic): string {
  const range = diagnostic.range;
  if (range === undefined || range.start.line !== range.end.line) return '';
  return (content.split('\n')[range.start.line] ?? '').slice(range.start.character, range.end.character);
}

/**
 * Type-checks a Python project with pyright (see pyrightConfig: only what breaks at run time),
 * on a private copy, and maps its errors to project files. An import of a package the project
 * does not declare becomes one finding on the dependency manifest (requirements.txt), since
 * that is the file to fix; one of a declared package that is not installed here is no finding.
 */
export async function checkPythonProject(files: readonly { path: string; content: string }[], options: ProjectCheckOptions = {}): Promise<ProjectFinding[]> {
  const pending = options.pending ?? [];
  const run = preparePyrightRun(files, pending);
  try {
    const result = await runBoundedChild(run.args, { cwd: run.copy.project, env: run.env, timeoutMs: options.timeoutMs ?? 60_000, maxStdoutBytes: maxReportBytes, ...(options.signal ? { signal: options.signal } : {}) });
    // 0: no errors, 1: errors; anything else is pyright failing (config, crash).
    if (result.exitCode !== 0 && result.exitCode !== 1) {
      throw new ProjectCheckFailed('crashed', `The type checker (pyright) stopped with exit code ${String(result.exitCode)}: ${result.stderrTail.trim().slice(-500) || result.stdout.slice(0, 500)}`);
    }
    let report;
    try {
      report = pyrightReport.parse(JSON.parse(result.stdout));
    } catch (error) {
      throw new ProjectCheckFailed('unreadable-output', 'The type checker (pyright) wrote something that is not its report.', { cause: error });
    }
    const contents = new Map(files.map((file) => [file.path, file.content]));
    const context = {
      projectModules: projectModuleNames([...run.copy.written, ...pending]),
      declared: declaredPythonPackages({ paths: files.map((file) => file.path), read: (path) => contents.get(path) }),
      pending,
    };
    const toProjectPath = (file: string) => relative(run.copy.project, file).split(sep).join('/');
    const findings: ProjectFinding[] = [];
    const seen = new Set<string>();
    const add = (finding: ProjectFinding) => {
      const key = `${finding.path}\n${finding.line}\n${finding.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push({ ...finding, message: finding.message.slice(0, maxFindingChars) });
    };
    for (const diagnostic of report.generalDiagnostics) {
      if (diagnostic.severity !== 'error') continue;
      const path = toProjectPath(diagnostic.file);
      const content = contents.get(path);
      // typeshed, our stubs for pending files, anything outside the copy.
      if (content === undefined || run.stubs.has(path)) continue;
      const line = (diagnostic.range?.start.line ?? 0) + 1;
      const rule = diagnostic.rule ?? 'error';
      // Cycle chains and the like name files by their absolute temp path.
      const message = diagnostic.message.split(`${run.copy.project}${sep}`).join('');
      if (!importRules.has(rule)) {
        add({ path, line, rule, message });
        continue;
      }
      const module = rangeText(content, diagnostic);
      const verdict = classifyMissingImport(module, rule, context);
      if (verdict.kind === 'file') add({ path, line, rule, message });
      if (verdict.kind === 'manifest') {
        add({
          path: verdict.manifest,
          line: 1,
          rule,
          message: `${path} line ${line} imports \`${module}\`, a third-party package that ${verdict.manifest} does not declare: add the distribution that provides it (pyright: ${message})`,
        });
      }
    }
    return findings;
  } finally {
    run.copy.dispose();
  }
}
