import { describe, expect, it } from 'vitest';
import { createTrustedUrlCheck } from '../../../src-main/electron/isTrustedRendererUrl.ts';
import { contentSecurityPolicy } from '../../../src-main/electron/contentSecurityPolicy.ts';

describe('createTrustedUrlCheck', () => {
  const packaged = createTrustedUrlCheck('/opt/app/out/renderer');
  it.each([
    ['app://renderer/index.html', true],
    ['app://renderer/assets/index.js', true],
    ['app://renderer/index.html#/projects', true],
    ['app://renderer/', true],
    ['app://renderer/../main/index.js', false],
    ['app://renderer/%2e%2e/main/index.js', false],
    ['app://renderer-evil/index.html', false],
    ['app://evil/index.html', false],
    ['app://x@renderer/index.html', false],
    // file:// is no longer ours: a file:// page shares its origin with every local file.
    ['file:///opt/app/out/renderer/index.html', false],
    ['file:///etc/passwd', false],
    ['https://example.com/', false],
    ['http://localhost:5173/', false],
    ['devtools://devtools/bundled/inspector.html', false],
    ['', false],
  ])('%s → %s', (url, trusted) => {
    expect(packaged(url)).toBe(trusted);
  });

  it('trusts the dev server origin only when one is configured', () => {
    const dev = createTrustedUrlCheck('/opt/app/out/renderer', 'http://localhost:5173/');
    expect(dev('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('app://renderer/index.html')).toBe(true);
    // Its hot-reload socket too (webRequest sees it), but no other socket.
    expect(dev('ws://localhost:5173/?token=x')).toBe(true);
    expect(dev('ws://localhost:5174/')).toBe(false);
    expect(createTrustedUrlCheck('/opt/app/out/renderer')('ws://localhost:5173/')).toBe(false);
    expect(dev('not a url')).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows only our own scripts, styles and connections in production', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
  });
});
