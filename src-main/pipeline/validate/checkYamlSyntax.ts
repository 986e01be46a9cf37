import { parseAllDocuments } from 'yaml';
import type { FileProblem } from './FileProblem.ts';
import { maxSyntaxProblems } from './treeSyntaxProblems.ts';

/** Where `*name` first appears, for alias errors the `yaml` package reports without a position. */
function aliasPosition(content: string, name: string): { line: number; col: number } | undefined {
  const offset = content.search(new RegExp(`\\*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`));
  if (offset === -1) return undefined;
  const before = content.slice(0, offset);
  return { line: before.split('\n').length, col: offset - before.lastIndexOf('\n') };
}

/**
 * YAML syntax through the `yaml` package, every document of a multi-document file (Kubernetes
 * manifests, compose overrides), including errors that show only when the document is read
 * (an alias to an anchor that does not exist). Its messages already say what it expected; we
 * keep their first line and the position.
 */
export function checkYamlSyntax(path: string, content: string): FileProblem[] {
  const problems: FileProblem[] = [];
  const add = (message: string, position: { line: number; col: number } | undefined): void => {
    if (problems.length >= maxSyntaxProblems) return;
    if (position === undefined) problems.push({ path, rule: 'syntax', message });
    else problems.push({ path, rule: 'syntax', line: position.line, column: position.col, message: `line ${position.line}, column ${position.col}: ${message}` });
  };
  for (const document of parseAllDocuments(content)) {
    for (const error of document.errors) {
      add((error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, ''), error.linePos?.[0]);
    }
    if (document.errors.length > 0) continue;
    try {
      document.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const alias = /Unresolved alias.*: (.+)$/.exec(message)?.[1];
      add(alias === undefined ? message : `alias *${alias} refers to an anchor &${alias} that is not defined before it`, alias === undefined ? undefined : aliasPosition(content, alias));
    }
  }
  return problems;
}
