import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import { analyzeModule, isCodeLanguage } from './analyzeModule.ts';
import type { ImportedModule } from './ModuleSymbols.ts';

export interface FileSymbols {
  /** Python: top-level def/class/assignment names; TS/JS: exported names (`default` included). */
  exports: string[];
  /** Every import, relative specifiers kept as written (`.models`, `./rules.js`). */
  imports: ImportedModule[];
}

/**
 * A file's public names and its imports, from its tree-sitter tree: what the planner's contract
 * is compared against and what the consistency check links up. Other languages have none.
 * Asynchronous because the tree-sitter WASM runtime loads asynchronously (once per process).
 */
export async function extractSymbols(file: { path: string; language: FileLanguage; content: string }): Promise<FileSymbols> {
  if (!isCodeLanguage(file.language)) return { exports: [], imports: [] };
  const { exports, imports } = await analyzeModule({ path: file.path, language: file.language, content: file.content });
  return { exports, imports };
}
