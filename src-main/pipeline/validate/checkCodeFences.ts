import type { FileProblem } from './FileProblem.ts';

const fence = /^\s*(```|~~~)[\w+.-]*\s*$/;

/**
 * Markdown code fences (```python ... ```) wrapped around a code or config file: the commonest
 * way a model's answer breaks a file, since chat models fence code by habit. Only a fence on the
 * first or last non-empty line counts (a fence inside a docstring or template string is
 * content). Reported on their own, with a plain instruction, instead of as the parser errors
 * they cause.
 */
export function checkCodeFences(path: string, content: string): FileProblem[] {
  const lines = content.split('\n');
  const filled = lines.flatMap((text, index) => (text.trim() === '' ? [] : [index]));
  const edges = [...new Set([filled[0], filled.at(-1)])].filter((index): index is number => index !== undefined);
  return edges
    .filter((index) => fence.test(lines[index] ?? ''))
    .map((index) => ({
      path,
      rule: 'syntax' as const,
      line: index + 1,
      column: 1,
      message: `line ${index + 1}: a Markdown code fence '${(lines[index] ?? '').trim()}' is not part of the file; remove the fence lines and keep only the file's content`,
    }));
}
