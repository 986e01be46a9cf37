import type { ProjectCheckOptions } from './ProjectCheckOptions.ts';
import type { ProjectFinding } from './ProjectFinding.ts';

/**
 * The project-wide type check of generated files: pyright for the Python files, the TypeScript
 * compiler for the TS/JS ones (a project may have both). Each checker is loaded on first use.
 * Findings come in file order, then line.
 */
export async function checkProject(files: readonly { path: string; content: string }[], options: ProjectCheckOptions = {}): Promise<ProjectFinding[]> {
  const findings: ProjectFinding[] = [];
  if (files.some((file) => /\.pyi?$/.test(file.path))) {
    findings.push(...(await (await import('./checkPythonProject.ts')).checkPythonProject(files, options)));
  }
  if (files.some((file) => /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(file.path) && !file.path.endsWith('.d.ts'))) {
    findings.push(...(await import('./checkTypeScriptProject.ts')).checkTypeScriptProject(files, options));
  }
  return findings.sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
}
