import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppRequestPath } from '../../../src-main/electron/resolveAppRequestPath.ts';

const root = '/opt/app/out/renderer';

describe('resolveAppRequestPath', () => {
  it.each([
    ['app://renderer/index.html', 'index.html'],
    ['app://renderer/', 'index.html'],
    ['app://renderer/assets/index-dbKQFs6j.js', 'assets/index-dbKQFs6j.js'],
    ['app://renderer/assets/', 'assets/index.html'],
    ['app://renderer/index.html#/projects/p1?tab=plan', 'index.html'],
    ['app://renderer/index.html?v=1', 'index.html'],
    ['app://renderer/assets/a%20b.css', 'assets/a b.css'],
  ])('maps %s inside the renderer folder', (url, file) => {
    expect(resolveAppRequestPath(url, root)).toEqual({ ok: true, path: join(root, file) });
  });

  it.each([
    ['plain ..', 'app://renderer/../main/index.js'],
    ['.. further down', 'app://renderer/assets/../../main/index.js'],
    ['a lone .', 'app://renderer/./index.html'],
    ['encoded dots', 'app://renderer/%2e%2e/main/index.js'],
    ['upper-case encoded dots', 'app://renderer/%2E%2E/%2E%2E/etc/passwd'],
    ['half-encoded dots', 'app://renderer/.%2e/main/index.js'],
    ['dots between encoded slashes', 'app://renderer/assets%2f..%2f..%2fmain%2findex.js'],
    ['an encoded slash', 'app://renderer/assets%2Findex.js'],
    ['an encoded absolute path', 'app://renderer/%2Fetc%2Fpasswd'],
    ['a backslash', 'app://renderer/..\\main\\index.js'],
    ['an encoded backslash', 'app://renderer/..%5Cmain%5Cindex.js'],
    ['a Windows drive', 'app://renderer/C:%5CWindows%5Cwin.ini'],
    ['a double slash (absolute path)', 'app://renderer//etc/passwd'],
    ['an empty host (absolute path)', 'app:///etc/passwd'],
    ['a NUL byte', 'app://renderer/index.html%00.png'],
    ['a raw NUL byte', 'app://renderer/index.html\u0000.png'],
    ['a newline', 'app://renderer/index\n.html'],
    ['a broken escape', 'app://renderer/%E0%A4%A.js'],
    ['another host', 'app://evil/index.html'],
    ['a host that starts like ours', 'app://renderer.evil/index.html'],
    ['a user name', 'app://x@renderer/index.html'],
    ['a port', 'app://renderer:8080/index.html'],
    ['no path', 'app://renderer'],
    ['file://', 'file:///opt/app/out/renderer/index.html'],
    ['https', 'https://renderer/index.html'],
    ['not a URL', 'index.html'],
    ['empty', ''],
  ])('refuses %s', (_what, url) => {
    const result = resolveAppRequestPath(url, root);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toBe('');
  });
});
