import { describe, expect, it } from 'vitest';
import { validateFile } from '../../../../src-main/pipeline/validate/validateFile.ts';
import { projectOf } from './projectOf.ts';

const empty = projectOf();

describe('validateFile: formatting with prettier', () => {
  it.each([
    ['src/rules.ts', 'typescript', 'export   const x  =   {a:1}\nexport function f( a:string ){return a}', 'export const x = { a: 1 };\nexport function f(a: string) {\n  return a;\n}\n'],
    ['src/App.tsx', 'typescript', 'export const App = () => <div   className="a">hi</div>', 'export const App = () => <div className="a">hi</div>;\n'],
    ['src/index.js', 'javascript', "const a = {b:1}\nmodule.exports = a", 'const a = { b: 1 };\nmodule.exports = a;\n'],
    ['data.json', 'json', '{"a":1,\n"b":[1,2]}', '{ "a": 1, "b": [1, 2] }\n'],
    ['tsconfig.json', 'json', '{\n  // keep\n  "compilerOptions": {"strict":true,},\n}', '{\n  // keep\n  "compilerOptions": { "strict": true }\n}\n'],
    ['compose.yaml', 'yaml', 'a:   1\nb:\n    - x\n', 'a: 1\nb:\n  - x\n'],
    ['README.md', 'markdown', '#  Title\n*  item\n', '# Title\n\n- item\n'],
  ] as const)('returns prettier output for messy but valid %s', async (path, language, content, formatted) => {
    expect(await validateFile({ path, language, content }, empty)).toEqual({ problems: [], formatted });
  });

  it('does not format languages prettier does not cover here', async () => {
    expect(await validateFile({ path: 'a.py', language: 'python', content: 'x=1\n' }, empty)).toEqual({ problems: [] });
    expect(await validateFile({ path: 'pyproject.toml', language: 'toml', content: 'a=1\n' }, empty)).toEqual({ problems: [] });
  });

  it('returns no formatted text for a file with syntax errors', async () => {
    const result = await validateFile({ path: 'a.ts', language: 'typescript', content: 'const x = ;\n' }, empty);
    expect(result.formatted).toBeUndefined();
    expect(result.problems).toHaveLength(1);
  });

  it('reports a syntax error only prettier finds as syntax', async () => {
    // tree-sitter parses `await` anywhere; Babel knows it needs an async function.
    const result = await validateFile({ path: 'a.js', language: 'javascript', content: 'function f() {\n  return await g();\n}\n' }, empty);
    expect(result).toEqual({
      problems: [{ path: 'a.js', rule: 'syntax', line: 2, column: 10, message: "line 2, column 10: 'await' is only allowed within async functions and at the top levels of modules." }],
    });
  });
});
