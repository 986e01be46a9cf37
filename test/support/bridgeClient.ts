import { randomBytes } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import type { ServerFrame } from '../../src-shared/bridgeProtocol.ts';
import type { Envelope } from '../../src-shared/envelope.ts';

type HelloFrame = Extract<ServerFrame, { type: 'hello' }>;

export interface TestClient {
  ws: WebSocket;
  hello: HelloFrame;
  /** Resolves with the close code and reason once the socket has closed. */
  closed: Promise<{ code: number; reason: string }>;
  /** The next received frame (in arrival order) matching `predicate`; consumed once returned. */
  next(predicate?: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  /** Sends an invoke frame and resolves with the envelope of the result frame carrying its id. */
  invoke(channel: string, input?: unknown, id?: string | number): Promise<Envelope<unknown>>;
  send(data: string | Buffer, options?: { binary?: boolean }): void;
  close(): Promise<void>;
}

let nextId = 0;

export function socketUrl(port: number, token?: string): string {
  return token === undefined ? `ws://127.0.0.1:${port}/api` : `ws://127.0.0.1:${port}/api?token=${encodeURIComponent(token)}`;
}

/** Connects a `ws` client to the bridge and waits for its hello frame. */
export async function connectClient(port: number, token: string, options: { origin?: string } = {}): Promise<TestClient> {
  const ws = new WebSocket(socketUrl(port, token), options.origin === undefined ? {} : { origin: options.origin });
  const buffer: ServerFrame[] = [];
  const waiters: { predicate: (frame: ServerFrame) => boolean; resolve: (frame: ServerFrame) => void }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  ws.on('error', () => {
    // surfaced through `closed` and failed waits
  });
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as ServerFrame;
    const index = waiters.findIndex((waiter) => waiter.predicate(frame));
    if (index === -1) {
      buffer.push(frame);
      return;
    }
    const [waiter] = waiters.splice(index, 1);
    waiter?.resolve(frame);
  });

  const next = (predicate: (frame: ServerFrame) => boolean = () => true, timeoutMs = 5000): Promise<ServerFrame> => {
    const index = buffer.findIndex(predicate);
    if (index !== -1) return Promise.resolve(buffer.splice(index, 1)[0] as ServerFrame);
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (frame: ServerFrame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`No matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };

  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_request, response) => reject(new Error(`Upgrade refused with HTTP ${response.statusCode}`)));
  });
  const hello = (await next()) as HelloFrame;
  if (hello.type !== 'hello') throw new Error(`First frame was ${JSON.stringify(hello)}, not hello`);

  return {
    ws,
    hello,
    closed,
    next,
    async invoke(channel, input, id = `call-${++nextId}`) {
      ws.send(JSON.stringify(input === undefined ? { type: 'invoke', id, channel } : { type: 'invoke', id, channel, input }));
      const frame = await next((candidate) => candidate.type === 'result' && candidate.id === id);
      if (frame.type !== 'result') throw new Error('unreachable');
      return frame.result as Envelope<unknown>;
    },
    send(data, sendOptions = {}) {
      ws.send(data, { binary: sendOptions.binary ?? false });
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await closed;
    },
  };
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request: the path and Host header go out exactly as given (no URL normalisation). */
export function httpRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    // agent: false: a fresh connection each time, so a pooled keep-alive socket never hides a closed server
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A WebSocket upgrade request with full control of Host and Origin. Resolves with the HTTP status
 * and body of a refusal, or status 101 (the socket is then closed) when the upgrade is accepted.
 */
export function upgradeRequest(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Version': '13',
        ...headers,
      },
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '' });
    });
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
