import { parse, TomlError } from 'smol-toml';
import type { FileProblem } from './FileProblem.ts';

/** TOML syntax (pyproject.toml, Cargo.toml, ...) through smol-toml, which reports line and column. */
export function checkTomlSyntax(path: string, content: string): FileProblem[] {
  try {
    parse(content);
    return [];
  } catch (error) {
    if (error instanceof TomlError) {
      const message = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
      const lineText = (content.split('\n')[error.line - 1] ?? '').trim();
      const context = lineText === '' ? '' : ` in '${lineText.length > 60 ? `${lineText.slice(0, 59)}…` : lineText}'`;
      return [{ path, rule: 'syntax', line: error.line, column: error.column, message: `line ${error.line}, column ${error.column}: ${message}${context}` }];
    }
    return [{ path, rule: 'syntax', message: `invalid TOML: ${error instanceof Error ? error.message : String(error)}` }];
  }
}
