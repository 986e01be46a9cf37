import { format } from 'prettier/standalone';
import * as babel from 'prettier/plugins/babel';
import * as estree from 'prettier/plugins/estree';
import * as markdown from 'prettier/plugins/markdown';
import * as typescript from 'prettier/plugins/typescript';
import * as yaml from 'prettier/plugins/yaml';
import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import type { FileProblem } from './FileProblem.ts';

export type FormatResult = { formatted: string; problem?: undefined } | { formatted?: undefined; problem: FileProblem } | { formatted?: undefined; problem?: undefined };

/**
 * Prettier's parser per language; the others are not formatted. JSON with comments (tsconfig)
 * also goes through `json`, which keeps the comments and, unlike `jsonc`, adds no trailing commas.
 */
function parserOf(language: FileLanguage): string | undefined {
  switch (language) {
    case 'typescript':
      return 'typescript';
    case 'javascript':
      return 'babel';
    case 'json':
      return 'json';
    case 'yaml':
      return 'yaml';
    case 'markdown':
      return 'markdown';
    default:
      return undefined;
  }
}

interface PrettierSyntaxError {
  loc: { start: { line: number; column: number } };
  message: string;
}

function isPrettierSyntaxError(error: unknown): error is PrettierSyntaxError {
  if (!(error instanceof Error) || !('loc' in error)) return false;
  const loc = (error as { loc?: { start?: { line?: unknown } } }).loc;
  return typeof loc?.start?.line === 'number';
}

/**
 * Formats JS/TS/JSON/YAML/Markdown with prettier's standalone build and explicit plugins (no
 * config-file lookup, no dynamic plugin loading, so the output is the same on every machine and
 * in a bundled app). A syntax error prettier finds becomes a `syntax` problem (callers use it
 * when their own syntax check passed); any other failure a `format` problem.
 */
export async function formatWithPrettier(path: string, language: FileLanguage, content: string): Promise<FormatResult> {
  const parser = parserOf(language);
  if (parser === undefined) return {};
  try {
    const formatted = await format(content, { parser, filepath: path, plugins: [babel, estree, typescript, yaml, markdown] });
    return { formatted };
  } catch (error) {
    if (isPrettierSyntaxError(error)) {
      const { line, column } = error.loc.start;
      const first = (error.message.split('\n')[0] ?? '').replace(/\s*\(\d+:\d+\)$/, '');
      return { problem: { path, rule: 'syntax', line, column, message: `line ${line}, column ${column}: ${first}` } };
    }
    return { problem: { path, rule: 'format', message: `prettier could not format the file: ${error instanceof Error ? error.message : String(error)}` } };
  }
}
