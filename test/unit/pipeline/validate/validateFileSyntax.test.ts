import { describe, expect, it } from 'vitest';
import { validateFile } from '../../../../src-main/pipeline/validate/validateFile.ts';
import { projectOf } from './projectOf.ts';

const empty = projectOf();

async function problemsOf(path: string, language: Parameters<typeof validateFile>[0]['language'], content: string) {
  return (await validateFile({ path, language, content }, empty)).problems;
}

describe('validateFile: empty files', () => {
  it('reports empty and whitespace-only content', async () => {
    expect(await problemsOf('a.py', 'python', '')).toEqual([{ path: 'a.py', rule: 'empty', message: 'the file is empty' }]);
    expect(await problemsOf('a.md', 'markdown', ' \n\t\n')).toEqual([{ path: 'a.md', rule: 'empty', message: 'the file contains only whitespace' }]);
  });
});

describe('validateFile: valid files of each language pass', () => {
  it.each([
    ['app/main.py', 'python', 'import os\n\n\ndef main() -> None:\n    print(os.getcwd())\n'],
    ['src/rules.ts', 'typescript', 'export interface Rule {\n  id: string;\n}\n\nexport function parseRule(text: string): Rule {\n  return { id: text };\n}\n'],
    ['src/App.tsx', 'typescript', 'export function App(): JSX.Element {\n  return <div className="app">hi</div>;\n}\n'],
    ['src/index.js', 'javascript', 'const x = [1, 2].map((n) => n * 2);\nmodule.exports = { x };\n'],
    ['run.sh', 'bash', '#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.py; do\n  echo "$f"\ndone\n'],
    ['package.json', 'json', '{ "name": "x", "version": "1.0.0" }\n'],
    ['tsconfig.json', 'json', '{\n  // comments are fine here\n  "compilerOptions": { "strict": true, },\n}\n'],
    ['compose.yaml', 'yaml', 'services:\n  api:\n    image: python:3.12\n---\nkind: Second\n'],
    ['pyproject.toml', 'toml', '[project]\nname = "x"\ndependencies = ["fastapi>=0.110"]\n'],
    ['Dockerfile', 'dockerfile', 'ARG PY=3.12\nFROM python:${PY}-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install \\\n    --no-cache-dir \\\n    -r requirements.txt\nCOPY . .\nEXPOSE 8000\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n'],
    ['pytest.ini', 'ini', '[pytest]\naddopts = -q\ntestpaths =\n    tests\n; comment\n'],
    ['setup.cfg', 'ini', '[metadata]\nname: x\n\n[options]\ninstall_requires =\n  a\n  b\n'],
    ['README.md', 'markdown', '# Title\n\nSome text.\n'],
    ['schema.sql', 'sql', 'CREATE TABLE rules (id INTEGER PRIMARY KEY);\n'],
    ['notes.txt', 'text', 'anything goes ((\n'],
  ] as const)('%s', async (path, language, content) => {
    expect(await problemsOf(path, language, content)).toEqual([]);
  });
});

describe('validateFile: syntax errors', () => {
  it('reports a Python error with its line and column', async () => {
    const problems = await problemsOf('app/main.py', 'python', 'import os\n\n\ndef main()\n    return 1\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'app/main.py', rule: 'syntax', line: 4, column: 11 });
    expect(problems[0]?.message).toBe("line 4, column 11: expected ':' after 'def main()'");
  });

  it('names an unclosed bracket or string where it opens', async () => {
    expect((await problemsOf('a.py', 'python', 'x = [1, 2\ny = 3\n'))[0]).toMatchObject({ line: 1, column: 5, message: "line 1, column 5: '[' is never closed (in '= [1, 2 y')" });
    expect((await problemsOf('a.js', 'javascript', 'const s = "abc;\n'))[0]?.message).toBe(`line 1, column 11: the string starting with " is never closed (in 'const s = "abc;')`);
  });

  it('reports Markdown fences wrapped around a file instead of parser errors', async () => {
    const problems = await problemsOf('app/main.py', 'python', '```python\nprint(1)\n```\n');
    expect(problems.map((problem) => [problem.line, problem.message])).toEqual([
      [1, "line 1: a Markdown code fence '```python' is not part of the file; remove the fence lines and keep only the file's content"],
      [3, "line 3: a Markdown code fence '```' is not part of the file; remove the fence lines and keep only the file's content"],
    ]);
    expect((await problemsOf('package.json', 'json', '```json\n{}\n```'))[0]?.line).toBe(1);
    expect(await problemsOf('a.py', 'python', 'def f():\n    """Example:\n\n    ```python\n    f()\n    ```\n    """\n')).toEqual([]);
  });

  it('reports a TypeScript error with its line', async () => {
    const problems = await problemsOf('src/rules.ts', 'typescript', 'export const a = 1;\nexport function f(x: number {\n  return x;\n}\n');
    expect(problems).toEqual([{ path: 'src/rules.ts', rule: 'syntax', line: 2, column: 28, message: "line 2, column 28: expected ')' after 'export function f(x: number'" }]);
  });

  it('parses .tsx with the TSX grammar and .ts without JSX', async () => {
    const jsx = 'export const A = () => <div>hi</div>;\n';
    expect(await problemsOf('src/A.tsx', 'typescript', jsx)).toEqual([]);
    expect((await problemsOf('src/A.ts', 'typescript', jsx)).length).toBeGreaterThan(0);
  });

  it('reports a Bash error', async () => {
    const problems = await problemsOf('run.sh', 'bash', 'if [ -f x ]; then\n  echo hi\n');
    expect(problems[0]).toMatchObject({ rule: 'syntax' });
  });

  it('caps the number of reported syntax errors', async () => {
    const content = Array.from({ length: 30 }, (_, i) => `def f${i}(\n    pass\n`).join('\n');
    expect((await problemsOf('a.py', 'python', content)).length).toBeLessThanOrEqual(10);
  });

  it('reports broken JSON with line and column', async () => {
    const problems = await problemsOf('package.json', 'json', '{\n  "name": "x",\n  "version": }\n');
    expect(problems).toEqual([{ path: 'package.json', rule: 'syntax', line: 3, column: 14, message: "line 3, column 14: expected a value, found '}'" }]);
  });

  it('rejects comments and trailing commas in plain JSON', async () => {
    expect((await problemsOf('data.json', 'json', '{"a": 1,}'))[0]).toMatchObject({ line: 1, column: 8, message: "line 1, column 8: trailing comma before '}'" });
    expect((await problemsOf('data.json', 'json', '// c\n{}'))[0]).toMatchObject({ line: 1, column: 1 });
  });

  it('reports broken YAML with line and column', async () => {
    const problems = await problemsOf('compose.yaml', 'yaml', 'services:\n  api:\n    ports: [8000\n  db: x\n');
    expect(problems[0]).toEqual({ path: 'compose.yaml', rule: 'syntax', line: 4, column: 3, message: 'line 4, column 3: Flow sequence in block collection must be sufficiently indented and end with a ]' });
  });

  it('reports a YAML alias without its anchor', async () => {
    expect(await problemsOf('a.yaml', 'yaml', 'a: &x 1\nb: *y\n')).toEqual([{ path: 'a.yaml', rule: 'syntax', line: 2, column: 4, message: 'line 2, column 4: alias *y refers to an anchor &y that is not defined before it' }]);
  });

  it('reports broken TOML with line and column', async () => {
    const problems = await problemsOf('pyproject.toml', 'toml', '[project]\nname = "x"\nversion = \n');
    expect(problems).toEqual([{ path: 'pyproject.toml', rule: 'syntax', line: 3, column: 11, message: "line 3, column 11: invalid value in 'version ='" }]);
  });

  it('reports a Dockerfile without FROM', async () => {
    const problems = await problemsOf('Dockerfile', 'dockerfile', 'WORKDIR /app\nRUN echo hi\n');
    expect(problems).toEqual([{ path: 'Dockerfile', rule: 'syntax', line: 1, message: 'line 1: the first instruction is WORKDIR, but a Dockerfile must start with FROM (only ARG may come before it)' }]);
    expect(await problemsOf('Dockerfile', 'dockerfile', '# just a comment\n')).toEqual([{ path: 'Dockerfile', rule: 'syntax', message: 'no FROM instruction: a Dockerfile must start with FROM (only ARG may come before it)' }]);
  });

  it('reports unknown Dockerfile instructions, broken exec forms and unterminated continuations', async () => {
    const content = "FROM python:3.12\nRUN apt-get update &&\n    apt-get install -y curl\nCMD ['uvicorn', 'app.main:app']\nRUN echo \\\n";
    const messages = (await problemsOf('Dockerfile', 'dockerfile', content)).map((problem) => problem.message);
    expect(messages).toEqual([
      "line 3: unknown instruction 'APT-GET' (if it continues the RUN on line 2, that line needs a trailing '\\')",
      "line 4: CMD ['uvicorn', 'app.main:app'] looks like exec form but is not a JSON array of double-quoted strings; Docker would run it as a shell command",
      "line 5: the file ends inside an instruction continued with '\\'",
    ]);
  });

  it('skips Dockerfile heredoc bodies', async () => {
    expect(await problemsOf('Dockerfile', 'dockerfile', 'FROM alpine\nRUN <<EOF\napk add curl\necho done\nEOF\nCMD ["sh"]\n')).toEqual([]);
  });

  it('reports INI lines configparser rejects', async () => {
    const problems = await problemsOf('tox.ini', 'ini', 'envlist = py311\n[tox\n[testenv]\njust words\n');
    expect(problems.map((problem) => problem.line)).toEqual([1, 2, 4]);
  });
});
