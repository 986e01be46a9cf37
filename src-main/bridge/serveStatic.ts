import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, normalize, relative, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built renderer read-only: GET/HEAD only, paths confined to `root` after decoding and
 * normalising and again after resolving symlinks (a link inside that leads out is a 404), unknown
 * paths fall back to index.html (a single-page app), nothing else.
 */
export async function serveStatic(
  root: string,
  request: IncomingMessage,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = safePathname(request.url ?? '/');
  if (pathname === undefined) {
    response.writeHead(400, headers).end('Bad request');
    return;
  }
  let file = join(root, pathname);
  if (file !== root && !file.startsWith(root + sep)) {
    response.writeHead(404, headers).end('Not found');
    return;
  }
  let info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    if (extname(pathname) !== '') {
      response.writeHead(404, headers).end('Not found');
      return;
    }
    file = join(root, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      response.writeHead(404, headers).end('Not found');
      return;
    }
  }
  if (!(await realPathInside(root, file))) {
    response.writeHead(404, headers).end('Not found');
    return;
  }
  const isHtml = file.endsWith('.html');
  response.writeHead(200, {
    ...headers,
    'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
    'Cache-Control': isHtml ? 'no-store' : 'no-cache',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

function safePathname(url: string): string | undefined {
  try {
    const { pathname } = new URL(url, 'http://localhost');
    const decoded = decodeURIComponent(pathname);
    if (decoded.includes('\0')) return undefined;
    return normalize(decoded).replace(/^([/\\])+/, '');
  } catch {
    return undefined;
  }
}

/** Whether the file, symlinks resolved, still lies inside the root (itself resolved). */
async function realPathInside(root: string, file: string): Promise<boolean> {
  const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]).catch(() => [undefined, undefined]);
  if (realRoot === undefined || realFile === undefined) return false;
  const inside = relative(realRoot, realFile);
  return inside !== '' && inside.split(sep)[0] !== '..' && !isAbsolute(inside);
}
