import type { FileProblem } from './FileProblem.ts';

/**
 * Files that tools read as JSON with comments and trailing commas (tsconfig, VS Code settings,
 * devcontainer, `.jsonc`): a generated comment there is fine, not a syntax error.
 */
export function allowsJsonComments(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return (
    name.endsWith('.jsonc') ||
    /^(tsconfig|jsconfig)(\..+)?\.json$/.test(name) ||
    name === 'devcontainer.json' ||
    name === '.eslintrc.json' ||
    name === '.babelrc.json' ||
    path.startsWith('.vscode/') ||
    path.includes('/.vscode/')
  );
}

interface JsonError {
  offset: number;
  message: string;
}

class JsonScanner {
  private at = 0;
  private readonly text: string;
  private readonly jsonc: boolean;

  constructor(text: string, jsonc: boolean) {
    this.text = text;
    this.jsonc = jsonc;
  }

  scan(): JsonError | undefined {
    try {
      this.whitespace();
      this.value();
      this.whitespace();
      if (this.at < this.text.length) this.fail(`unexpected ${this.found()} after the end of the JSON value`);
      return undefined;
    } catch (error) {
      if (error instanceof ScanStop) return { offset: error.offset, message: error.message };
      throw error;
    }
  }

  private found(): string {
    if (this.at >= this.text.length) return 'end of input';
    return `'${this.text.slice(this.at, this.at + 12).split('\n')[0]}'`;
  }

  private fail(message: string, offset = this.at): never {
    throw new ScanStop(offset, message);
  }

  private whitespace(): void {
    for (;;) {
      const char = this.text[this.at];
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') this.at++;
      else if (this.jsonc && this.text.startsWith('//', this.at)) {
        const end = this.text.indexOf('\n', this.at);
        this.at = end === -1 ? this.text.length : end + 1;
      } else if (this.jsonc && this.text.startsWith('/*', this.at)) {
        const end = this.text.indexOf('*/', this.at + 2);
        if (end === -1) this.fail('unterminated /* comment');
        this.at = end + 2;
      } else return;
    }
  }

  private value(): void {
    const char = this.text[this.at];
    if (char === '{') this.object();
    else if (char === '[') this.array();
    else if (char === '"') this.string();
    else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) this.number();
    else if (this.text.startsWith('true', this.at)) this.at += 4;
    else if (this.text.startsWith('false', this.at)) this.at += 5;
    else if (this.text.startsWith('null', this.at)) this.at += 4;
    else if (char === "'") this.fail("expected a value, found a single-quoted string (JSON strings use double quotes)");
    else this.fail(`expected a value, found ${this.found()}`);
  }

  private object(): void {
    this.at++;
    this.whitespace();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    for (;;) {
      if (this.text[this.at] !== '"') this.fail(`expected a double-quoted property name, found ${this.found()}`);
      this.string();
      this.whitespace();
      if (this.text[this.at] !== ':') this.fail(`expected ':' after the property name, found ${this.found()}`);
      this.at++;
      this.whitespace();
      this.value();
      this.whitespace();
      const char = this.text[this.at];
      if (char === '}') {
        this.at++;
        return;
      }
      if (char !== ',') this.fail(`expected ',' or '}' after the property value, found ${this.found()}`);
      const comma = this.at;
      this.at++;
      this.whitespace();
      if (this.text[this.at] === '}') {
        if (!this.jsonc) this.fail("trailing comma before '}'", comma);
        this.at++;
        return;
      }
    }
  }

  private array(): void {
    this.at++;
    this.whitespace();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    for (;;) {
      this.value();
      this.whitespace();
      const char = this.text[this.at];
      if (char === ']') {
        this.at++;
        return;
      }
      if (char !== ',') this.fail(`expected ',' or ']' after the array element, found ${this.found()}`);
      const comma = this.at;
      this.at++;
      this.whitespace();
      if (this.text[this.at] === ']') {
        if (!this.jsonc) this.fail("trailing comma before ']'", comma);
        this.at++;
        return;
      }
    }
  }

  private string(): void {
    const start = this.at;
    this.at++;
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined || char === '\n') this.fail('unterminated string', start);
      if (char === '"') {
        this.at++;
        return;
      }
      if (char === '\\') {
        const escape = this.text[this.at + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 2, this.at + 6))) this.fail('invalid \\u escape in string');
          this.at += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) this.at += 2;
        else this.fail(`invalid escape '\\${escape ?? ''}' in string`);
      } else if (char < ' ') this.fail('control character in string (escape it, e.g. \\n or \\t)');
      else this.at++;
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at, this.at + 400));
    if (match === null) this.fail(`invalid number ${this.found()}`);
    this.at += match[0].length;
  }
}

class ScanStop extends Error {
  readonly offset: number;

  constructor(offset: number, message: string) {
    super(message);
    this.offset = offset;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * JSON syntax through `JSON.parse`; when it fails, a small scanner finds where (V8's messages
 * carry a position only for some errors) and says what it expected. Files that tools read as
 * JSONC ({@link allowsJsonComments}) may have comments and trailing commas.
 */
export function checkJsonSyntax(path: string, content: string): FileProblem[] {
  const jsonc = allowsJsonComments(path);
  let parseMessage = '';
  if (!jsonc) {
    try {
      JSON.parse(content);
      return [];
    } catch (error) {
      parseMessage = error instanceof Error ? error.message : String(error);
    }
  }
  const error = new JsonScanner(content, jsonc).scan();
  if (error === undefined) return parseMessage === '' ? [] : [{ path, rule: 'syntax', message: `invalid JSON: ${parseMessage}` }];
  const { line, column } = lineAndColumn(content, error.offset);
  return [{ path, rule: 'syntax', line, column, message: `line ${line}, column ${column}: ${error.message}` }];
}
