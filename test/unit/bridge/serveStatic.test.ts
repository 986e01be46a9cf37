import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridgeServer, type BridgeServer } from '../../../src-main/bridge/startBridgeServer.ts';
import { createCore, type Core } from '../../../src-main/core/createCore.ts';
import { httpRequest, type HttpAnswer } from '../../support/bridgeClient.ts';
import { createTempDir, removeTempDirs, testAppJs, testIndexHtml } from '../../support/tempDir.ts';

/**
 * serveStatic through the real bridge server. The renderer lives in <tmp>/ui; a secret sits next to
 * it in <tmp>/secret.txt, so any traversal that escapes the root would serve the secret.
 */
const secret = 'TOP-SECRET-CONTENTS-OUTSIDE-THE-ROOT';
let core: Core;
let bridge: BridgeServer;

beforeAll(async () => {
  const base = createTempDir('sc-static-');
  const root = join(base, 'ui');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), testIndexHtml);
  writeFileSync(join(root, 'assets', 'app.js'), testAppJs);
  writeFileSync(join(root, 'assets', 'style.css'), 'body { color: red; }\n');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  writeFileSync(join(root, 'assets', 'data.bin'), Buffer.from([0, 1, 2, 3]));
  writeFileSync(join(base, 'secret.txt'), secret);
  writeFileSync(join(base, 'secret'), secret);
  mkdirSync(join(base, 'ui-evil'));
  writeFileSync(join(base, 'ui-evil', 'index.html'), secret);
  // Links inside the root that lead out of it (a file and a folder), and one that stays inside.
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'leak.txt'));
  symlinkSync(join(base, 'ui-evil'), join(root, 'linked'));
  symlinkSync(join(root, 'assets', 'app.js'), join(root, 'assets', 'alias.js'));
  core = createCore({ dataDir: createTempDir('sc-static-data-'), host: 'bridge' });
  bridge = await startBridgeServer({ core, rendererDir: root });
});

afterAll(async () => {
  await bridge.close();
  core.close();
  removeTempDirs();
});

function get(path: string, method = 'GET'): Promise<HttpAnswer> {
  return httpRequest(bridge.port, path, { method });
}

function expectSecurityHeaders(answer: HttpAnswer): void {
  const csp = String(answer.headers['content-security-policy']);
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${bridge.port} ws://localhost:${bridge.port}`);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['referrer-policy']).toBe('no-referrer');
}

describe('serveStatic through the bridge', () => {
  it('serves index.html at / with the CSP and nosniff headers', async () => {
    const answer = await get('/');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(testIndexHtml);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(testIndexHtml)));
    expect(answer.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(answer);
  });

  it('serves /index.html the same way', async () => {
    const answer = await get('/index.html');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(testIndexHtml);
  });

  it.each([
    ['/assets/app.js', 'text/javascript; charset=utf-8', testAppJs],
    ['/assets/style.css', 'text/css; charset=utf-8', 'body { color: red; }\n'],
    ['/assets/logo.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>\n'],
    ['/assets/app.js?v=123#frag', 'text/javascript; charset=utf-8', testAppJs],
  ])('serves %s with content type %s', async (path, type, body) => {
    const answer = await get(path);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(type);
    expect(answer.headers['cache-control']).toBe('no-cache');
    expect(answer.body).toBe(body);
    expectSecurityHeaders(answer);
  });

  it('serves an unknown extension as application/octet-stream (never sniffed)', async () => {
    const answer = await get('/assets/data.bin');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/octet-stream');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers HEAD with the headers and no body', async () => {
    const answer = await get('/assets/app.js', 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(testAppJs)));
  });

  it.each([
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2fetc/passwd',
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/assets/../../../etc/passwd',
    '/assets/..%2f..%2f..%2fetc%2fpasswd',
    '/..\\..\\etc\\passwd',
    '/%5c..%5c..%5cetc%5cpasswd',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%252fsecret.txt',
    '/%2e%2e/secret',
    '/..%2fsecret',
    '/..%2fui-evil/index.html',
    '/%2e%2e/ui-evil/',
    '/assets/%00x',
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('never serves files outside the root for %s', async (path) => {
    const answer = await get(path);
    expect(answer.body).not.toContain(secret);
    expect(answer.body).not.toMatch(/root:.*:0:0:/);
    if (answer.status === 200) {
      // only an extension-less route may fall back, and then to our index.html
      expect(answer.body).toBe(testIndexHtml);
    } else {
      expect([400, 404]).toContain(answer.status);
    }
  });

  it.each([
    ['/assets/%00x', 400],
    ['/index.html%00.js', 400],
    ['/%E0%A4%A', 400],
    ['/../secret.txt', 404],
    ['/..%2fsecret.txt', 404],
  ])('answers %s with %i', async (path, status) => {
    expect((await get(path)).status).toBe(status);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s with 405 and Allow: GET, HEAD', async (method) => {
    const answer = await get('/', method);
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
    expect(answer.body).toBe('');
  });

  it.each(['/foo.js', '/assets/missing.css', '/favicon.ico', '/assets/app.js.map'])('answers an unknown file %s with 404', async (path) => {
    const answer = await get(path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toBe(testIndexHtml);
  });

  it.each(['/projects', '/projects/123/settings', '/assets', '/assets/', '/deep/route/'])(
    'falls back to index.html for the extension-less route %s',
    async (path) => {
      const answer = await get(path);
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(testIndexHtml);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expectSecurityHeaders(answer);
    },
  );

  it.each(['/assets/leak.txt', '/linked/index.html'])('answers a symlink out of the root (%s) with 404, never its target', async (path) => {
    const answer = await get(path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain(secret);
  });

  it('follows a symlink that stays inside the root', async () => {
    const answer = await get('/assets/alias.js');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(testAppJs);
  });

  it('keeps serving after all the bad requests', async () => {
    const answer = await get('/');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(testIndexHtml);
  });
});
