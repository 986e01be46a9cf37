import type { ProjectCheckOptions } from './ProjectCheckOptions.ts';
import type { ProjectFinding } from './ProjectFinding.ts';
import { languagesOf, typeScriptChecker } from './projectChecker.ts';

/**
 * The project-wide type check of generated files: pyright for the Python files, the TypeScript
 * compiler for the TS/JS ones (a project may have both; the two run side by side, each in its
 * own process or thread). Findings come in file order, then line.
 */
export async function checkProject(files: readonly { path: string; content: string }[], options: ProjectCheckOptions = {}): Promise<ProjectFinding[]> {
  options.signal?.throwIfAborted();
  const languages = languagesOf(files.map((file) => file.path));
  const checks: Promise<ProjectFinding[]>[] = [];
  if (languages.includes('python')) checks.push(import('./checkPythonProject.ts').then((module) => module.checkPythonProject(files, options)));
  if (languages.includes('typescript')) {
    const pending = options.pending ?? [];
    const timeoutMs = options.timeoutMs ?? 60_000;
    checks.push(
      options.engine === 'cli'
        ? import('./checkTypeScriptProject.ts').then((module) => module.checkTypeScriptProject(files, options))
        : typeScriptChecker.check(files, pending, { timeoutMs, ...(options.signal ? { signal: options.signal } : {}) }),
    );
  }
  const findings = (await Promise.all(checks)).flat();
  return findings.sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
}
