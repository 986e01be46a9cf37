import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import { analyzePythonModule } from './analyzePythonModule.ts';
import { analyzeScriptModule } from './analyzeScriptModule.ts';
import { isCodeLanguage } from './analyzeModule.ts';
import { checkCodeFences } from './checkCodeFences.ts';
import { checkInterface } from './checkInterface.ts';
import { checkPythonImports } from './checkPythonImports.ts';
import { checkSyntax } from './checkSyntax.ts';
import type { FileProblem } from './FileProblem.ts';
import { formatWithPrettier } from './formatWithPrettier.ts';
import type { ModuleSymbols } from './ModuleSymbols.ts';
import type { ProjectFiles } from './ProjectFiles.ts';
import { treeSyntaxProblems } from './treeSyntaxProblems.ts';
import { mayBeEmpty } from './mayBeEmpty.ts';
import { pythonDeclarations, type PythonDeclarations } from './pythonDeclarations.ts';
import { grammarOf, withSyntaxTree } from './withSyntaxTree.ts';

export interface FileToValidate {
  path: string;
  language: FileLanguage;
  content: string;
  /** The plan's promised interface for this file (PlanFile.exports); checked when given. */
  exports?: readonly string[];
}

export interface FileValidation {
  problems: FileProblem[];
  /** Prettier's output (JS/TS/JSON/YAML/Markdown) when the file formats; write this instead of the original. */
  formatted?: string;
}

/** Syntax problems, plus the module's symbols for code files, from a single parse. */
async function parseFile(path: string, language: FileLanguage, content: string): Promise<{ problems: FileProblem[]; symbols?: ModuleSymbols; declarations?: PythonDeclarations }> {
  if (!isCodeLanguage(language)) return { problems: await checkSyntax(path, language, content) };
  const fences = checkCodeFences(path, content);
  if (fences.length > 0) return { problems: fences };
  return withSyntaxTree(grammarOf(language, path), content, (root) => ({
    problems: treeSyntaxProblems(root, path, content, grammarOf(language, path)),
    symbols: language === 'python' ? analyzePythonModule(root) : analyzeScriptModule(root),
    ...(language === 'python' ? { declarations: pythonDeclarations(root) } : {}),
  }));
}

/**
 * Everything we can say about one generated file without running it, in one call: empty
 * content, syntax (see checkSyntax for the languages covered), formatting (prettier, skipped
 * when the syntax check already failed; a syntax error only prettier finds is reported as
 * `syntax`), Python imports that resolve to nothing, and promised interface entries the file
 * does not define. `project` is the rest of the project as generated so far (for imports:
 * project modules and declared dependencies). Fix prompts quote the problems' messages.
 */
export async function validateFile(file: FileToValidate, project: ProjectFiles): Promise<FileValidation> {
  const { path, language, content } = file;
  if (content.trim() === '' && mayBeEmpty(path)) return { problems: [] };
  if (content.trim() === '') return { problems: [{ path, rule: 'empty', message: content === '' ? 'the file is empty' : 'the file contains only whitespace' }] };
  const { problems, symbols, declarations } = await parseFile(path, language, content);
  let formatted: string | undefined;
  if (problems.length === 0) {
    const format = await formatWithPrettier(path, language, content);
    if (format.problem !== undefined) problems.push(format.problem);
    formatted = format.formatted;
  }
  if (symbols !== undefined && isCodeLanguage(language)) {
    if (language === 'python') problems.push(...checkPythonImports(path, symbols, project));
    if (file.exports !== undefined && file.exports.length > 0) problems.push(...checkInterface(path, language, content, symbols, file.exports, declarations));
  }
  return formatted === undefined ? { problems } : { problems, formatted };
}
