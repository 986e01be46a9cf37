import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import { analyzePythonModule } from './analyzePythonModule.ts';
import { analyzeScriptModule } from './analyzeScriptModule.ts';
import type { ModuleSymbols } from './ModuleSymbols.ts';
import { grammarOf, withSyntaxTree } from './withSyntaxTree.ts';

/** Languages whose modules we analyse (definitions, exports, imports). */
export type CodeLanguage = 'python' | 'typescript' | 'javascript';

export function isCodeLanguage(language: FileLanguage): language is CodeLanguage {
  return language === 'python' || language === 'typescript' || language === 'javascript';
}

/**
 * Parses a Python or TS/JS file and lists what it defines and imports. Works on files with
 * syntax errors too (tree-sitter recovers), so the other checks still say something useful.
 */
export function analyzeModule(file: { path: string; language: CodeLanguage; content: string }): Promise<ModuleSymbols> {
  return withSyntaxTree(grammarOf(file.language, file.path), file.content, (root) => (file.language === 'python' ? analyzePythonModule(root) : analyzeScriptModule(root)));
}
