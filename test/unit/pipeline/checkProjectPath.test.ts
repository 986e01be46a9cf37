import { describe, expect, it } from 'vitest';
import { checkProjectPath, maxPathLength } from '../../../src-shared/pipeline/checkProjectPath.ts';

/** The problem of a refused path (fails the test when the path is accepted). */
function problem(path: string): string {
  const checked = checkProjectPath(path);
  if (checked.ok) throw new Error(`expected ${JSON.stringify(path)} to be refused, got ${JSON.stringify(checked.path)}`);
  return checked.problem;
}

describe('checkProjectPath: accepted paths', () => {
  it.each([
    ['app/main.py', 'app/main.py'],
    ['./app/main.py', 'app/main.py'],
    ['././README.md', 'README.md'],
    ['.github/workflows/ci.yml', '.github/workflows/ci.yml'],
    ['.gitignore', '.gitignore'],
    ['src/.gitkeep', 'src/.gitkeep'],
    ['docs/..hidden', 'docs/..hidden'],
    ['console.py', 'console.py'],
    ['auxiliary/nullable.py', 'auxiliary/nullable.py'],
    ['com10.txt', 'com10.txt'],
    ['café/naïve.py', 'café/naïve.py'],
    [`${'n'.repeat(97)}.py`, `${'n'.repeat(97)}.py`],
  ])('%j → %j', (raw, normal) => {
    expect(checkProjectPath(raw)).toEqual({ ok: true, path: normal });
  });

  it('accepts a path of exactly the length limit made of short segments', () => {
    const path = `${'abcdefghi/'.repeat(19)}abcdefgh.p`;
    expect(path.length).toBe(maxPathLength);
    expect(checkProjectPath(path)).toEqual({ ok: true, path });
  });
});

describe('checkProjectPath: refused paths name the path and the reason', () => {
  it.each([
    // Traversal
    ['../x.py', 'leaves the project folder (..)'],
    ['app/../../etc/passwd', 'leaves the project folder (..)'],
    ['app/..', 'leaves the project folder (..)'],
    ['./../x', 'leaves the project folder (..)'],
    // Absolute
    ['/etc/passwd', 'is absolute'],
    ['\\Windows\\system.ini', 'is absolute'],
    // Windows drive (absolute and drive-relative) and UNC
    ['C:\\Windows\\win.ini', 'is a Windows drive path'],
    ['c:/x.py', 'is a Windows drive path'],
    ['D:x.py', 'is a Windows drive path'],
    ['\\\\server\\share\\x.py', 'is a network (UNC) path'],
    ['//server/share/x.py', 'is a network (UNC) path'],
    ['\\\\?\\C:\\x.py', 'is a network (UNC) path'],
    // Backslashes elsewhere
    ['app\\main.py', 'uses backslashes'],
    // Reserved device names, any case, with or without extension, at any depth
    ['CON', 'a name Windows reserves for devices'],
    ['con.py', 'a name Windows reserves for devices'],
    ['aux.txt', 'a name Windows reserves for devices'],
    ['app/NUL', 'a name Windows reserves for devices'],
    ['nul.tar.gz', 'a name Windows reserves for devices'],
    ['PRN.md', 'a name Windows reserves for devices'],
    ['COM1.log', 'a name Windows reserves for devices'],
    ['lpt9', 'a name Windows reserves for devices'],
    ['com¹.txt', 'a name Windows reserves for devices'],
    ['Con/readme.md', 'a name Windows reserves for devices'],
    // Names Windows cannot store
    ['app/main.py.', 'ending in a dot or a space'],
    ['app /main.py', 'ending in a dot or a space'],
    ['notes.txt:secret', 'a character that cannot be in a file name'],
    ['what?.md', 'a character that cannot be in a file name'],
    ['a<b>.py', 'a character that cannot be in a file name'],
    ['pipe|name', 'a character that cannot be in a file name'],
    ['quote".py', 'a character that cannot be in a file name'],
    ['star*.py', 'a character that cannot be in a file name'],
    ['tab\there.py', 'a character that cannot be in a file name'],
    ['nul\u0000byte.py', 'a character that cannot be in a file name'],
    ['new\nline.py', 'a character that cannot be in a file name'],
    // Empty, "." and trailing-slash segments
    ['app//main.py', 'has an empty or "." folder name'],
    ['app/./main.py', 'has an empty or "." folder name'],
    ['app/', 'has an empty or "." folder name'],
    ['./', 'has an empty or "." folder name'],
    ['.', 'names no file'],
    // Folders the app owns
    ['.git/config', 'which the app manages itself'],
    ['.GIT/hooks/pre-commit', 'which the app manages itself'],
    ['./.git/HEAD', 'which the app manages itself'],
    ['.service-creator/provenance.json', 'which the app manages itself'],
    // Lengths
    [`${'a/'.repeat(100)}b`, `longer than ${maxPathLength} characters`],
    [`${'a'.repeat(101)}.py`, 'has a name longer than 100 characters'],
  ])('%j: %s', (raw, reason) => {
    const message = problem(raw);
    expect(message).toContain(reason);
    expect(message).toContain(JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}...` : raw));
  });

  it('names the reserved segment itself', () => {
    expect(problem('src/aux/util.py')).toBe('"src/aux/util.py" uses "aux", a name Windows reserves for devices');
  });

  it('refuses an empty, blank or non-string path', () => {
    expect(problem('')).toBe('the path is empty');
    expect(problem('   ')).toBe('the path is empty');
    expect(problem(undefined as unknown as string)).toBe('the path is empty');
    expect(problem(42 as unknown as string)).toBe('the path is empty');
  });

  it('shortens a very long path in the message but keeps its start', () => {
    const long = `${'deep/'.repeat(50)}x.py`;
    const message = problem(long);
    expect(message.startsWith(JSON.stringify(`${long.slice(0, 80)}...`))).toBe(true);
    expect(message.length).toBeLessThan(200);
  });
});
