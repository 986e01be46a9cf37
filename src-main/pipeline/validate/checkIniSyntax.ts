import type { FileProblem } from './FileProblem.ts';
import { maxSyntaxProblems } from './treeSyntaxProblems.ts';

/**
 * INI syntax as Python's `configparser` (and pytest's iniconfig) read it, since the INI files we
 * generate are pytest.ini, setup.cfg, tox.ini, mypy.ini and alembic.ini: `[section]` headers,
 * `key = value` or `key: value`, indented continuation lines, `#`/`;` comments, no keys before
 * the first section. The tree-sitter INI grammar was tried first and rejected: it reports valid
 * files (`key: value`, multi-line values such as `testpaths =\n    tests`) as errors.
 */
export function checkIniSyntax(path: string, content: string): FileProblem[] {
  const problems: FileProblem[] = [];
  const add = (line: number, message: string): void => {
    if (problems.length < maxSyntaxProblems) problems.push({ path, rule: 'syntax', line, column: 1, message: `line ${line}: ${message}` });
  };
  let inSection = false;
  let inValue = false;
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') {
      inValue = false;
      return;
    }
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (/^\s/.test(raw) && inValue) return;
    if (trimmed.startsWith('[')) {
      inValue = false;
      if (!/^\[[^\]]+\]\s*([#;].*)?$/.test(trimmed)) add(line, `section header '${trimmed}' must look like [name]`);
      else inSection = true;
      return;
    }
    const delimiter = /^[^=:]*?[^\s=:]\s*[=:]/.exec(trimmed);
    if (delimiter === null) {
      add(line, `'${trimmed.length > 40 ? `${trimmed.slice(0, 39)}…` : trimmed}' is neither a [section], a 'key = value' line nor a comment`);
      inValue = false;
      return;
    }
    if (!inSection) {
      add(line, `'${trimmed.split(/[=:]/)[0]?.trim() ?? ''}' comes before the first [section] header`);
      inSection = true;
    }
    inValue = true;
  });
  return problems;
}
