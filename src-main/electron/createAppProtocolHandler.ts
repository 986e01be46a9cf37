import fs from 'node:fs';
import { extname, isAbsolute, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { resolveAppRequestPath } from './resolveAppRequestPath.ts';

// The callback forms, looked up on the fs object at call time: Electron patches them to read
// inside app.asar, where the renderer lives in an installed app.
const readFileAsync = (path: string) => promisify(fs.readFile)(path);
const realpathAsync = (path: string) => promisify(fs.realpath)(path);
const statAsync = (path: string) => promisify(fs.stat)(path);

const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/**
 * The `app://` protocol handler (Electron's `protocol.handle` takes it as is): GET and HEAD of
 * files inside the built renderer folder, nothing else. The request is mapped by
 * resolveAppRequestPath, then the real file (symlinks resolved) must still lie inside the real
 * folder and be a regular file; anything else is a 404 that names no path. Every response
 * carries the CSP and `nosniff`, so the page is held to the same policy however it was reached.
 * Web-standard Request and Response only, so it runs (and is tested) outside Electron.
 */
export function createAppProtocolHandler(rendererDir: string, csp: string): (request: Request) => Promise<Response> {
  let realRoot: Promise<string> | undefined;
  const headers = (contentType: string): Record<string, string> => ({
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  const plain = (status: number, text: string): Response => new Response(text, { status, headers: headers('text/plain; charset=utf-8') });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Only GET and HEAD are served.');
    const resolved = resolveAppRequestPath(request.url, rendererDir);
    if (!resolved.ok) return plain(404, 'Not found.');
    try {
      realRoot ??= realpathAsync(rendererDir);
      const [root, file] = await Promise.all([realRoot, realpathAsync(resolved.path)]);
      const inside = relative(root, file);
      if (inside === '' || inside.split(sep)[0] === '..' || isAbsolute(inside)) return plain(404, 'Not found.');
      if (!(await statAsync(file)).isFile()) return plain(404, 'Not found.');
      const contentType = mimeTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFileAsync(file));
      return new Response(body, { status: 200, headers: headers(contentType) });
    } catch {
      // A missing file, or one that vanished between the checks: the same 404 either way.
      realRoot = undefined;
      return plain(404, 'Not found.');
    }
  };
}
