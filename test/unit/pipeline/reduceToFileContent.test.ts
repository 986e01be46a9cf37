import { describe, expect, it } from 'vitest';
import type { FileLanguage } from '../../../src-shared/pipeline/plan.ts';
import { reduceToFileContent } from '../../../src-main/pipeline/reduceToFileContent.ts';
import type { FinishReason } from '../../../src-main/modelCall/modelCallTypes.ts';

const python = { path: 'app/main.py', language: 'python' as FileLanguage };
const readme = { path: 'README.md', language: 'markdown' as FileLanguage };

const code = 'from fastapi import FastAPI\n\napp = FastAPI()\n';

function content(answer: string, file = python, finishReason?: FinishReason): string {
  const reduced = reduceToFileContent(answer, file, finishReason);
  if (!reduced.ok) throw new Error(`expected content, got the refusal: ${reduced.problem}`);
  return reduced.content;
}

function refusal(answer: string, file = python, finishReason?: FinishReason): string {
  const reduced = reduceToFileContent(answer, file, finishReason);
  if (reduced.ok) throw new Error(`expected a refusal, got content ${JSON.stringify(reduced.content)}`);
  return reduced.problem;
}

describe('reduceToFileContent: what is kept', () => {
  it('keeps a bare answer as it is, with one final newline', () => {
    expect(content(code)).toBe(code);
    expect(content(`${code}\n\n\n`)).toBe(code);
    expect(content(`\n\n${code}`)).toBe(code);
  });

  it('takes the fenced block and drops the chatter around it', () => {
    expect(content(`Sure! Here is the file:\n\n\`\`\`python\n${code}\`\`\`\n\nLet me know if you need anything else.`)).toBe(code);
  });

  it('accepts tilde fences, longer fences and fences without a language', () => {
    expect(content(`~~~python\n${code}~~~`)).toBe(code);
    expect(content(`\`\`\`\`\n${code}\`\`\`\``)).toBe(code);
    expect(content(`\`\`\`\n${code}\`\`\`   `)).toBe(code);
  });

  it('normalises CRLF line ends', () => {
    expect(content(`\`\`\`python\r\n${code.replace(/\n/g, '\r\n')}\`\`\`\r\n`)).toBe(code);
  });

  it('takes the longest of several blocks (the others are usually usage examples)', () => {
    expect(content(`\`\`\`bash\nuvicorn app.main:app\n\`\`\`\n\nThe file:\n\n\`\`\`python\n${code}\`\`\``)).toBe(code);
  });

  it('keeps an indented fence inside the code (a docstring example) as part of the file', () => {
    const withDocstring = `def add(a, b):\n    """Add.\n\n    \`\`\`python\n    add(1, 2)\n    \`\`\`\n    """\n    return a + b\n`;
    expect(content(`\`\`\`python\n${withDocstring}\`\`\``)).toBe(withDocstring);
  });

  it('drops chatter lines before and after an unfenced answer', () => {
    expect(content(`Here is the code for app/main.py.\n${code}\nLet me know if you want tests too.`)).toBe(code);
    expect(content(`Certainly.\nI have written the module below.\n${code}\nNote: run it with uvicorn.\nI hope this helps!`)).toBe(code);
  });

  it('keeps a Markdown file with its own code blocks whole', () => {
    const doc = '# Shop\n\nRun it:\n\n```bash\nuvicorn app.main:app\n```\n\nThen open the docs.\n';
    expect(content(doc, readme)).toBe(doc);
  });

  it('unwraps a Markdown file the model put in one fence', () => {
    const doc = '# Shop\n\nA small service.\n';
    expect(content(`\`\`\`markdown\n${doc}\`\`\``, readme)).toBe(doc);
  });

  it('takes the fenced block of a Markdown answer that starts with chatter', () => {
    const doc = '# Shop\n\nA small service.\n';
    expect(content(`Here is the README:\n\n\`\`\`markdown\n${doc}\`\`\``, readme)).toBe(doc);
  });

  it('keeps prose in a Markdown or text file', () => {
    const prose = 'This service stores firewall rules for every tenant in memory.\nIt exposes them over a small HTTP interface for the operators.\n';
    expect(content(prose, readme)).toBe(prose);
    expect(content(prose, { path: 'NOTES.txt', language: 'text' })).toBe(prose);
  });

  it('keeps a Python module that is mostly a docstring (prose inside a string is data)', () => {
    const module = [
      '"""Firewall rule service.',
      '',
      'This package holds the models, the store and the HTTP interface of the service.',
      'It keeps every rule in memory and exposes them over a small REST interface.',
      'Rules are checked when they are added and rejected when they overlap another.',
      'Nothing here talks to a real firewall, the vendor adapters do that elsewhere.',
      '"""',
      '',
    ].join('\n');
    expect(content(module, { path: 'app/__init__.py', language: 'python' })).toBe(module);
  });

  it('allows an empty answer only for files that are commonly empty', () => {
    expect(content('', { path: 'app/__init__.py', language: 'python' })).toBe('');
    expect(content('```python\n```', { path: 'app/__init__.py', language: 'python' })).toBe('');
    expect(content('\n\n', { path: 'src/shop/py.typed', language: 'text' })).toBe('');
    expect(content('', { path: 'data/.gitkeep', language: 'text' })).toBe('');
  });
});

describe('reduceToFileContent: what is refused names the file', () => {
  it('refuses an answer cut off at the token limit, even when it looks complete', () => {
    expect(refusal(`\`\`\`python\n${code}\`\`\``, python, 'length')).toBe(
      'the answer for app/main.py was cut off at the token limit (truncated); it needs a shorter file or a larger limit',
    );
  });

  it('refuses an answer the provider stopped (content filter, refusal) as incomplete', () => {
    expect(refusal(code, python, 'error')).toBe('the answer for app/main.py was stopped by the provider (a refusal or content filter) before it was complete');
    expect(refusal(code, readme, 'cancelled')).toBe('the answer for README.md was cancelled before it was complete');
  });

  it('refuses a fence that never closes (truncated output)', () => {
    expect(refusal(`Here you go:\n\`\`\`python\n${code}def broken(`)).toBe('the answer for app/main.py opens a code fence that never closes (truncated output)');
  });

  it('refuses an opening fence with nothing after it', () => {
    expect(refusal('```python\n')).toBe('the answer for app/main.py opens a code fence that never closes (truncated output)');
  });

  it('refuses a fence that never closes after a complete example block', () => {
    const answer = `Usage:\n\`\`\`bash\nuvicorn app.main:app\n\`\`\`\n\nThe file:\n\`\`\`python\n${code}\ndef handler(request):\n    return {`;
    expect(refusal(answer)).toBe('the answer for app/main.py opens a code fence that never closes (truncated output)');
  });

  it('refuses an empty answer for a file that must have content', () => {
    expect(refusal('')).toBe('the answer for app/main.py has no file content');
    expect(refusal('```python\n\n```')).toBe('the answer for app/main.py has no file content');
    expect(refusal('Sure! Here is the file:')).toBe('the answer for app/main.py has no file content');
    expect(refusal('', { path: 'app/__init__.pyc', language: 'text' })).toContain('app/__init__.pyc');
  });

  it.each([
    ['python', 'app/main.py'],
    ['yaml', 'deploy/compose.yaml'],
    ['dockerfile', 'Dockerfile'],
    ['json', 'package.json'],
  ] as const)('refuses prose instead of %s code', (language, path) => {
    const prose = [
      "I'm sorry, but I cannot write this file without knowing the database schema first.",
      'Could you tell me which tables the service uses and how they relate to each other?',
      'Once I know that, I will write the models and the store for you straight away.',
    ].join('\n');
    expect(refusal(prose, { path, language })).toBe(`the answer for ${path} is prose, not ${language} code`);
  });

  it('refuses a prose explanation in a fence as well', () => {
    const prose = 'The service should keep the rules in a dictionary keyed by their name.\nEach handler should then look the rule up and return it to the caller.\n';
    expect(refusal(`\`\`\`python\n${prose}\`\`\``)).toBe('the answer for app/main.py is prose, not python code');
  });

  it('does not take code with a few comment-like sentences for prose', () => {
    const mixed = 'import os\n\n\nTIMEOUT = int(os.environ.get("TIMEOUT", "5"))\nRETRIES = 3\n';
    expect(content(mixed)).toBe(mixed);
  });
});
