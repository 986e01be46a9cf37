import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import { checkCodeFences } from './checkCodeFences.ts';
import { checkDockerfileSyntax } from './checkDockerfileSyntax.ts';
import { checkIniSyntax } from './checkIniSyntax.ts';
import { checkJsonSyntax } from './checkJsonSyntax.ts';
import { checkTomlSyntax } from './checkTomlSyntax.ts';
import { checkYamlSyntax } from './checkYamlSyntax.ts';
import type { FileProblem } from './FileProblem.ts';
import { treeSyntaxProblems } from './treeSyntaxProblems.ts';
import { grammarOf, withSyntaxTree } from './withSyntaxTree.ts';

/**
 * The syntax check for one file, by language: Python, JavaScript, TypeScript (TSX for `.tsx`)
 * and Bash through tree-sitter; JSON, YAML and TOML through their own parsers (which give better
 * positions and messages); Dockerfile and INI by small line-based checks. Markdown, SQL and plain
 * text get none: Markdown has no invalid syntax, and no SQL grammar ships with our tree-sitter
 * build (dialects differ too much for a hand-written check to be trusted). Markdown code fences
 * wrapped around any other file are reported first, and alone.
 */
export async function checkSyntax(path: string, language: FileLanguage, content: string): Promise<FileProblem[]> {
  if (language !== 'markdown' && language !== 'text') {
    const fences = checkCodeFences(path, content);
    if (fences.length > 0) return fences;
  }
  switch (language) {
    case 'python':
    case 'javascript':
    case 'typescript':
    case 'bash':
      return withSyntaxTree(grammarOf(language, path), content, (root) => treeSyntaxProblems(root, path, content, grammarOf(language, path)));
    case 'json':
      return checkJsonSyntax(path, content);
    case 'yaml':
      return checkYamlSyntax(path, content);
    case 'toml':
      return checkTomlSyntax(path, content);
    case 'dockerfile':
      return checkDockerfileSyntax(path, content);
    case 'ini':
      return checkIniSyntax(path, content);
    case 'markdown':
    case 'sql':
    case 'text':
      return [];
    default:
      return language satisfies never;
  }
}
