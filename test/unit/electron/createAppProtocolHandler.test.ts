import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../src-main/electron/createAppProtocolHandler.ts';
import { contentSecurityPolicy } from '../../../src-main/electron/contentSecurityPolicy.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const csp = contentSecurityPolicy();

describe('createAppProtocolHandler', () => {
  const tempDir = useTempDirs();

  /** A built renderer next to a secret the page must never read, the way out/main sits beside out/renderer. */
  function layout() {
    const out = tempDir('sc-app-protocol-');
    const renderer = join(out, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>UI</title>');
    writeFileSync(join(renderer, 'assets', 'index.js'), 'console.log(1)');
    writeFileSync(join(renderer, 'assets', 'index.css'), 'body{}');
    writeFileSync(join(renderer, 'assets', 'parser.wasm'), Buffer.from([0, 97, 115, 109]));
    writeFileSync(join(renderer, 'assets', 'icon.svg'), '<svg/>');
    writeFileSync(join(renderer, 'assets', 'blob.bin'), 'x');
    mkdirSync(join(out, 'main'));
    writeFileSync(join(out, 'main', 'secret.txt'), 'the main process bundle');
    return { out, renderer, handle: createAppProtocolHandler(renderer, csp) };
  }

  it('serves the renderer files with their MIME type, the CSP and nosniff', async () => {
    const { handle } = layout();
    const cases: Array<[string, string, string]> = [
      ['app://renderer/', 'text/html; charset=utf-8', '<!doctype html><title>UI</title>'],
      ['app://renderer/index.html#/projects', 'text/html; charset=utf-8', '<!doctype html><title>UI</title>'],
      ['app://renderer/assets/index.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
      ['app://renderer/assets/index.css', 'text/css; charset=utf-8', 'body{}'],
      ['app://renderer/assets/icon.svg', 'image/svg+xml', '<svg/>'],
      ['app://renderer/assets/blob.bin', 'application/octet-stream', 'x'],
    ];
    for (const [url, type, body] of cases) {
      const response = await handle(new Request(url));
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toBe(type);
      expect(response.headers.get('content-security-policy'), url).toBe(csp);
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(await response.text(), url).toBe(body);
    }
    const wasm = await handle(new Request('app://renderer/assets/parser.wasm'));
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect([...new Uint8Array(await wasm.arrayBuffer())]).toEqual([0, 97, 115, 109]);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const { handle } = layout();
    const head = await handle(new Request('app://renderer/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handle(new Request('app://renderer/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(csp);
  });

  it.each([
    'app://renderer/../main/secret.txt',
    'app://renderer/%2e%2e/main/secret.txt',
    'app://renderer/..%2fmain%2fsecret.txt',
    'app://renderer/..%5Cmain%5Csecret.txt',
    'app://renderer/missing.js',
    'app://renderer/assets',
    'app://other/index.html',
    'app://renderer/index.html%00.js',
  ])('answers 404, with the CSP, for %s', async (url) => {
    const { handle } = layout();
    const response = await handle(new Request(url));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(await response.text()).not.toContain('the main process bundle');
  });

  it('refuses a symlink that points out of the renderer folder, and follows one that stays inside', async () => {
    const { out, renderer, handle } = layout();
    symlinkSync(join(out, 'main', 'secret.txt'), join(renderer, 'assets', 'leak.txt'));
    symlinkSync(join(out, 'main'), join(renderer, 'linked-dir'));
    symlinkSync(join(renderer, 'assets', 'index.js'), join(renderer, 'assets', 'alias.js'));
    for (const url of ['app://renderer/assets/leak.txt', 'app://renderer/linked-dir/secret.txt']) {
      const response = await handle(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('the main process bundle');
    }
    const inside = await handle(new Request('app://renderer/assets/alias.js'));
    expect(inside.status).toBe(200);
    expect(await inside.text()).toBe('console.log(1)');
  });

  it('serves a renderer folder reached through a symlink (the folder itself may be linked)', async () => {
    const { out, renderer } = layout();
    const linked = join(out, 'linked-renderer');
    symlinkSync(renderer, linked);
    const response = await createAppProtocolHandler(linked, csp)(new Request('app://renderer/assets/index.js'));
    expect(response.status).toBe(200);
  });
});
