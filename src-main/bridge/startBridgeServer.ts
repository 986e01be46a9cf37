import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import type { WebSocket, WebSocketServer } from 'ws';
import { AppError } from '../../src-shared/AppError.ts';
import { bridgeMaxFrameBytes, bridgeSessionPath, bridgeSocketPath, bridgeTokenHeader } from '../../src-shared/bridgeProtocol.ts';
import { fail } from '../../src-shared/envelope.ts';
import { readInlineStyleHashes } from '../electron/inlineStyleHashes.ts';
import type { BridgeCore } from './bridgeConnection.ts';
import { serveStatic } from './serveStatic.ts';

export interface BridgeOptions {
  /**
   * The core the pages' sockets talk to, or how to open it: then it is opened once the server
   * has answered a first request and been idle for a moment (a page has its HTML, which paints
   * without the core, and its scripts), or when a socket comes first, so no file a page asks for
   * waits behind it. A socket that connects before the core is open waits for it, and is refused
   * when it fails.
   */
  core: BridgeCore | (() => Promise<BridgeCore>);
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; by default a fresh random one per launch. */
  token?: string;
}

export interface BridgeServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

// `import ... from 'node:http'` in an ES module builds the module's ESM facade, which reads every
// export, `node:http`'s lazy undici getters included: 26 ms (and http2) at every serve start for
// a fetch nobody makes. getBuiltinModule hands over the CommonJS module as it is.
const { createServer } = process.getBuiltinModule('node:http');

/** How long the server stays idle after its first requests before it opens a core it was given to open (BridgeOptions.core). */
const coreOpensWhenIdleMs = 100;

/** Only loopback: the bridge is never reachable from another machine. */
export const bridgeHost = '127.0.0.1';

/**
 * `service-creator serve`: the built renderer over HTTP and the IPC contract over a WebSocket,
 * on 127.0.0.1 only. The socket needs the per-launch token; browsers must also come from our own
 * origin, and every request must name our host (DNS-rebinding guard). Frames go through the same
 * dispatcher, validation and envelope as Electron IPC (bridgeConnection.ts).
 */
export async function startBridgeServer(options: BridgeOptions): Promise<BridgeServer> {
  const rendererDir = resolve(options.rendererDir);
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    throw new AppError('UI_NOT_BUILT', `The user interface is not built (no ${resolve(rendererDir, 'index.html')}). Run "npm run build" first.`);
  }
  // index.html inlines its main stylesheet (the shell paints without a second request): the CSP admits it by hash.
  const styleSources = readInlineStyleHashes(rendererDir).map((hash) => ` ${hash}`).join('');
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenDigest = digest(token);
  let port = 0;
  const allowedHosts = () => [`${bridgeHost}:${port}`, `localhost:${port}`];
  const allowedOrigins = () => allowedHosts().map((host) => `http://${host}`);
  const securityHeaders = () => ({
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      `style-src 'self'${styleSources}`,
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${allowedHosts().map((host) => `ws://${host}`).join(' ')}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });

  let closed = false;
  let coreOpening: Promise<BridgeCore> | undefined;
  let requestsInFlight = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  const openCore = () => {
    clearTimeout(idleTimer);
    if (!coreOpening) {
      const given = options.core;
      coreOpening = typeof given === 'function' ? given() : Promise.resolve(given);
      coreOpening.catch(() => undefined); // its opener reports the failure; here, sockets are refused
    }
    return coreOpening;
  };
  // Until the core opens: each request holds it off, and once none is left it opens after a
  // moment's quiet (the page's scripts are asked for a little after its HTML came in).
  const holdCoreOpening = (response: ServerResponse) => {
    if (coreOpening) return;
    requestsInFlight += 1;
    clearTimeout(idleTimer);
    response.once('close', () => {
      requestsInFlight -= 1;
      if (requestsInFlight === 0 && !coreOpening && !closed) idleTimer = setTimeout(() => void openCore(), coreOpensWhenIdleMs);
    });
  };

  const server = createServer((request, response) => {
    holdCoreOpening(response);
    if (!allowedHosts().includes(request.headers.host ?? '')) {
      response.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    if (request.url === bridgeSessionPath) {
      answerSessionCheck(request, response);
      return;
    }
    serveStatic(rendererDir, request, response, securityHeaders()).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });

  // The WebSocket server (the `ws` package, ~40 ms to load) and what handles a connection (the
  // contract's schemas) load when the first page connects: the page paints from static files
  // alone, so nothing before `listening` waits for them.
  let sockets: WebSocketServer | undefined;
  let socketsLoading: Promise<{ server: WebSocketServer; onConnection: (ws: WebSocket) => void }> | undefined;
  const webSockets = () =>
    (socketsLoading ??= Promise.all([import('ws'), import('./bridgeConnection.ts'), openCore()]).then(([{ WebSocketServer: Server }, { handleBridgeConnection }, ready]) => {
      sockets = new Server({ noServer: true, maxPayload: bridgeMaxFrameBytes });
      return { server: sockets, onConnection: (ws: WebSocket) => handleBridgeConnection(ws, ready) };
    }));
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = refuseUpgrade(request);
    if (refusal) {
      const body = JSON.stringify(fail(refusal.error));
      socket.end(
        `HTTP/1.1 ${refusal.status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    webSockets().then(
      (ready) => {
        if (socket.destroyed) return;
        ready.server.handleUpgrade(request, socket, head, ready.onConnection);
      },
      () => socket.destroy(),
    );
  });

  function tokenIsRight(given: string | null | undefined): boolean {
    return typeof given === 'string' && given !== '' && timingSafeEqual(digest(given), tokenDigest);
  }

  function answerSessionCheck(request: IncomingMessage, response: ServerResponse): void {
    const given = request.headers[bridgeTokenHeader];
    if (tokenIsRight(typeof given === 'string' ? given : undefined)) {
      response.writeHead(204, { ...securityHeaders(), 'Cache-Control': 'no-store' }).end();
      return;
    }
    const body = JSON.stringify(fail(new AppError('UNAUTHORIZED', 'The bridge token is not this launch\'s')));
    response.writeHead(401, { ...securityHeaders(), 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(body);
  }

  function refuseUpgrade(request: IncomingMessage): { status: string; error: AppError } | undefined {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== bridgeSocketPath) return { status: '404 Not Found', error: new AppError('NOT_FOUND', `No endpoint at ${url.pathname}`) };
    if (!allowedHosts().includes(request.headers.host ?? '')) {
      return { status: '403 Forbidden', error: new AppError('FORBIDDEN_ORIGIN', `Host "${request.headers.host ?? ''}" is not this bridge`) };
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins().includes(origin)) {
      return { status: '403 Forbidden', error: new AppError('FORBIDDEN_ORIGIN', `Origin "${origin}" may not use this bridge`) };
    }
    const given = url.searchParams.get('token');
    if (!tokenIsRight(given)) {
      return {
        status: '401 Unauthorized',
        error: new AppError('UNAUTHORIZED', given ? 'The bridge token is wrong' : 'The bridge token is missing'),
      };
    }
    return undefined;
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bridgeHost, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${bridgeHost}:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolvePromise) => {
        closed = true;
        clearTimeout(idleTimer);
        for (const client of sockets?.clients ?? []) client.terminate();
        sockets?.close();
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
