import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { afterEach } from 'vitest';
import { toProviderError } from '../../src-main/providers/classifyHttpError.ts';
import { providerFetch } from '../../src-main/providers/providerFetch.ts';

// Differential tests of providerFetch against Node's own fetch (providerFetchParity*.test.ts): the
// same server behaviour met through both, and what a caller can see of it written down as plain
// data, so that one `toEqual` says whether they agree.

export type HttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Node's global fetch (the one providerFetch stands in for), called late so a test's stubs apply. */
export const nodeFetch: HttpFetch = (input, init) => fetch(input, init);

/** An error as a caller can tell it apart: its class, name, message, code and causes. */
export interface ErrorShape {
  type: string;
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: ErrorShape;
}

export function errorShape(error: unknown, depth = 0): ErrorShape {
  if (typeof error !== 'object' || error === null) return { type: typeof error, message: String(error) };
  const record = error as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
  return {
    type: error.constructor.name,
    name: record.name,
    message: record.message,
    code: record.code,
    ...(record.cause !== undefined && depth < 4 ? { cause: errorShape(record.cause, depth + 1) } : {}),
  };
}

/** What a caller sees of one request: how it settled, the response's parts, the body's bytes or how its stream failed, and the ProviderError a failure becomes. */
export interface Observed {
  rejected?: ErrorShape;
  status?: number;
  ok?: boolean;
  statusText?: string;
  headers?: [string, string][];
  setCookie?: string[];
  /** null: no body at all (as for 204 and HEAD). */
  body?: string | null;
  bodyError?: ErrorShape;
  /** The kind and message toProviderError('p', failure) gives. */
  problem?: { kind: string; message: string };
}

export interface ObserveOptions {
  /** Called once the response is there, before its body is read (to abort, for one). */
  onResponse?: (response: Response) => void;
  /** Called after each chunk of the body is read. */
  onChunk?: (bytes: number) => void;
  /** Headers left out of the comparison (the date changes between the two requests). */
  ignoreHeaders?: string[];
}

function problemOf(error: unknown): { kind: string; message: string } {
  const failure = toProviderError('p', error);
  return { kind: failure.kind, message: failure.message };
}

/** Sends one request through `send` and writes down what the caller sees. The body bytes are read as latin1 so any byte compares. */
export async function observe(send: HttpFetch, url: string | URL, init: RequestInit = {}, options: ObserveOptions = {}): Promise<Observed> {
  let response: Response;
  try {
    response = await send(url, { redirect: 'manual', ...init });
  } catch (error) {
    return { rejected: errorShape(error), problem: problemOf(error) };
  }
  const ignored = new Set(['date', ...(options.ignoreHeaders ?? [])]);
  const seen: Observed = {
    status: response.status,
    ok: response.ok,
    statusText: response.statusText,
    headers: [...response.headers].filter(([name]) => !ignored.has(name)),
    setCookie: response.headers.getSetCookie(),
  };
  options.onResponse?.(response);
  if (response.body === null) return { ...seen, body: null };
  const chunks: Buffer[] = [];
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(Buffer.from(value));
      options.onChunk?.(Buffer.concat(chunks).length);
    }
  } catch (error) {
    return { ...seen, body: Buffer.concat(chunks).toString('latin1'), bodyError: errorShape(error), problem: problemOf(error) };
  }
  return { ...seen, body: Buffer.concat(chunks).toString('latin1') };
}

/** The same request through Node's fetch and through providerFetch, one after the other. */
export async function observeBoth(url: string | URL, init: RequestInit = {}, options: ObserveOptions | (() => ObserveOptions) = {}): Promise<{ fetch: Observed; provider: Observed }> {
  const optionsOf = typeof options === 'function' ? options : () => options;
  const viaFetch = await observe(nodeFetch, url, init, optionsOf());
  const viaProvider = await observe(providerFetch, url, init, optionsOf());
  return { fetch: viaFetch, provider: viaProvider };
}

const servers: (Server | NetServer)[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    if ('closeAllConnections' in server) server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function listening(server: Server | NetServer): Promise<string> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** A node:http server on 127.0.0.1, closed after the test. */
export function httpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  return listening(createHttpServer(handler));
}

/** A raw TCP server on 127.0.0.1 (closed after the test): `answer` gets the socket once a request's head has come, and writes whatever bytes it likes. */
export function rawServer(answer: (socket: Socket, head: string) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let head = '';
    socket.on('data', (data: Buffer) => {
      head += data.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const request = head.slice(0, end);
      head = '';
      answer(socket, request);
    });
  });
  server.on('close', () => {
    for (const socket of sockets) socket.destroy();
  });
  const closeSockets = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    for (const socket of sockets) socket.destroy();
    return closeSockets(callback);
  }) as typeof server.close;
  return listening(server);
}

/** A raw server that answers every request with these bytes and then closes (or, with `keepOpen`, leaves the connection open). */
export function fixedAnswer(bytes: string | Buffer, keepOpen = false): Promise<string> {
  return rawServer((socket) => (keepOpen ? socket.write(bytes) : socket.end(bytes)));
}
