import type { Node } from '@vscode/tree-sitter-wasm';
import type { FileProblem } from './FileProblem.ts';
import type { Grammar } from './withSyntaxTree.ts';

/** Enough to act on; past this the first errors usually explain the rest. */
export const maxSyntaxProblems = 10;

function excerpt(text: string, max = 40): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** The code before a position on its line (or the last non-empty line above), as context. */
function textBefore(lines: readonly string[], row: number, column: number): string {
  const sameLine = (lines[row] ?? '').slice(0, column).trim();
  if (sameLine !== '') return excerpt(sameLine.length > 40 ? sameLine.slice(-40) : sameLine);
  for (let above = row - 1; above >= 0; above--) {
    const line = (lines[above] ?? '').trim();
    if (line !== '') return excerpt(line.length > 40 ? line.slice(-40) : line);
  }
  return '';
}

const pythonBlockHeader = /^\s*(async\s+)?(def|class|if|elif|else|for|while|with|try|except|finally|(match|case)(?!\s*[=.([,)]))\b/;
const closerOf: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** The first bracket in `text` that is never closed, or a string literal that never ends. */
function unclosedOpener(text: string, grammar: Grammar): { offset: number; opener: string } | undefined {
  const open: { offset: number; opener: string }[] = [];
  const comment = grammar === 'python' || grammar === 'bash' ? '#' : '//';
  for (let at = 0; at < text.length; at++) {
    const char = text[at] ?? '';
    if (text.startsWith(comment, at)) {
      const lineEnd = text.indexOf('\n', at);
      if (lineEnd === -1) break;
      at = lineEnd;
    } else if (char === '"' || char === "'" || char === '`') {
      const triple = char.repeat(3);
      const quote = char !== '`' && text.startsWith(triple, at) ? triple : char;
      const end = text.indexOf(quote, at + quote.length);
      const lineEnd = text.indexOf('\n', at);
      const multiLine = quote.length === 3 || char === '`' || grammar === 'bash';
      if (end === -1 || (!multiLine && lineEnd !== -1 && lineEnd < end)) return { offset: at, opener: quote };
      at = end + quote.length - 1;
    } else if (char in closerOf) open.push({ offset: at, opener: char });
    else if (char === ')' || char === ']' || char === '}') {
      if (open.length > 0 && closerOf[open.at(-1)?.opener ?? ''] === char) open.pop();
    }
  }
  return open[0];
}

/**
 * What an ERROR node most likely means. tree-sitter marks a whole region, so we look for the
 * usual causes inside it: a Python block header without its ':' and an unclosed bracket;
 * otherwise we quote the region.
 */
function describeError(node: Node, lines: readonly string[], grammar: Grammar): { row: number; column: number; message: string } {
  const { row, column } = node.startPosition;
  if (grammar === 'python') {
    for (let line = row; line <= node.endPosition.row; line++) {
      const text = (lines[line] ?? '').replace(/\s+#.*$/, '').trimEnd();
      if (pythonBlockHeader.test(text) && !text.endsWith(':') && !text.endsWith('\\') && unclosedOpener(text, grammar) === undefined) {
        return { row: line, column: text.length, message: `expected ':' after '${excerpt(text.trim())}'` };
      }
    }
  }
  const unclosed = unclosedOpener(node.text, grammar);
  if (unclosed !== undefined) {
    const before = node.text.slice(0, unclosed.offset);
    const openRow = row + (before.split('\n').length - 1);
    const openColumn = before.includes('\n') ? unclosed.offset - before.lastIndexOf('\n') - 1 : column + unclosed.offset;
    const what = unclosed.opener in closerOf ? `'${unclosed.opener}' is never closed` : `the string starting with ${unclosed.opener} is never closed`;
    return { row: openRow, column: openColumn, message: `${what} (in '${excerpt(node.text)}')` };
  }
  const text = excerpt(node.text);
  return { row, column, message: text === '' ? 'unexpected end of input' : `cannot parse '${text}'` };
}

/**
 * The ERROR and MISSING nodes of a tree-sitter tree as problems, in source order, capped at
 * {@link maxSyntaxProblems}. Only subtrees that contain an error are walked, and an ERROR node's
 * children are not reported again, so one mistake gives one problem.
 */
export function treeSyntaxProblems(root: Node, path: string, content: string, grammar: Grammar): FileProblem[] {
  const problems: FileProblem[] = [];
  if (!root.hasError) return problems;
  const lines = content.split('\n');
  const visit = (node: Node): void => {
    if (problems.length >= maxSyntaxProblems) return;
    if (node.isMissing) {
      const { row, column } = node.startPosition;
      const where = `line ${row + 1}, column ${column + 1}`;
      const before = textBefore(lines, row, column);
      const after = before === '' ? '' : ` after '${before}'`;
      problems.push({ path, rule: 'syntax', line: row + 1, column: column + 1, message: `${where}: expected '${node.type}'${after}` });
      return;
    }
    if (node.isError) {
      const described = describeError(node, lines, grammar);
      const at = `line ${described.row + 1}, column ${described.column + 1}`;
      problems.push({ path, rule: 'syntax', line: described.row + 1, column: described.column + 1, message: `${at}: ${described.message}` });
      return;
    }
    for (const child of node.children) {
      if (child !== null && (child.hasError || child.isMissing)) visit(child);
    }
  };
  visit(root);
  return problems;
}
