import type { IncomingHttpHeaders } from 'node:http';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type ConnectionOptions } from 'node:tls';

/** What the socket reads the headers into (the body goes straight into its batches). */
const readBufferBytes = 256 * 1024;
/** A batch with less room than this is handed on before the next read (reads go straight into it). */
const minReadBytes = 64 * 1024;
/** The body is handed on in batches of this size (appendBody writes each with one call). */
const batchBytes = 1024 * 1024;
/** Batches read but not yet taken before the socket pauses: memory stays bounded when the disk is slower. */
const maxQueuedBatches = 8;
const maxHeaderBytes = 64 * 1024;
/** A slow link still hands on what arrived (progress, and a pause keeps it) at least this often. */
const partialAfterMs = 200;

/**
 * The answer is framed in a way this client does not read (chunked transfer coding): the caller
 * asks again through Node's own HTTP client. Model files come with a Content-Length.
 */
export class UnsupportedFraming extends Error {
  constructor() {
    super('the server sent the body in chunks');
    this.name = 'UnsupportedFraming';
  }
}

export interface RawAnswer {
  statusCode: number;
  /** Lower-case names; a repeated header is a list, as Node's own client gives them. */
  headers: IncomingHttpHeaders;
  /** The body as 1 MiB batches (a smaller one when the link is slow or at the end); empty for HEAD. */
  body: RawBody;
}

/**
 * One HTTP/1.1 request on its own connection (`Connection: close`), over TCP or TLS, read without
 * Node's HTTP parser: the socket reads (`onread`) straight into 1 MiB batches, reused once written
 * (recycle). On a fast link the parser and a buffer per 64 KiB read were
 * most of a download's time (bench/modelDownload.ts: 441 MiB/s where curl read 852). Only for
 * downloads: the body must be delimited by Content-Length or by the end of the connection; a
 * chunked answer rejects with UnsupportedFraming. Rejects with the socket's own error
 * (ECONNREFUSED, ENOTFOUND, a TLS error) or the signal's reason.
 */
export function rawHttpRequest(
  url: URL,
  options: { method: 'GET' | 'HEAD'; headers: Record<string, string>; signal?: AbortSignal | undefined; /** Certificates to trust besides the system's (a mirror behind a company CA). */ ca?: string | undefined },
): Promise<RawAnswer> {
  const lines = [`${options.method} ${url.pathname || '/'}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(options.headers)) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) throw new TypeError(`the header ${JSON.stringify(name)} holds a line break`);
    lines.push(`${name}: ${value}`);
  }
  lines.push('Connection: close', '', '');
  const body = new RawBody();
  let head: Buffer[] = [];
  let headBytes = 0;
  let answered = false;
  return new Promise<RawAnswer>((resolve, reject) => {
    const fail = (error: unknown) => {
      socket.destroy();
      if (answered) body.fail(error);
      else reject(error);
    };
    const headRoom = Buffer.allocUnsafe(readBufferBytes);
    const onread = {
      // Before the headers: a scratch buffer; after: straight into the body's batch, so body bytes are never copied.
      buffer: (): Uint8Array => (answered ? body.room() : headRoom),
      callback: (bytes: number, buffer: Buffer): boolean => {
        if (answered) return body.filled(bytes);
        head.push(Buffer.from(buffer.subarray(0, bytes)));
        headBytes += bytes;
        const all = head.length === 1 ? (head[0] as Buffer) : Buffer.concat(head);
        const end = all.indexOf('\r\n\r\n');
        if (end < 0) {
          head = [all];
          if (headBytes > maxHeaderBytes) fail(new Error(`the server's answer has more than ${maxHeaderBytes} bytes of headers`));
          return true;
        }
        let parsed: { statusCode: number; headers: IncomingHttpHeaders };
        try {
          parsed = parseHead(all.subarray(0, end).toString('latin1'));
        } catch (error) {
          fail(error);
          return false;
        }
        answered = true;
        head = [];
        const { statusCode, headers } = parsed;
        if (typeof headers['transfer-encoding'] === 'string' && headers['transfer-encoding'].toLowerCase() !== 'identity') {
          socket.destroy();
          reject(new UnsupportedFraming());
          return false;
        }
        const noBody = options.method === 'HEAD' || statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode < 200);
        const length = typeof headers['content-length'] === 'string' && /^\d+$/.test(headers['content-length']) ? Number(headers['content-length']) : null;
        body.open(socket, noBody ? 0 : length);
        resolve({ statusCode, headers, body });
        const rest = all.subarray(end + 4);
        return rest.length === 0 || body.take(rest);
      },
    };
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // TLS sockets read through `onread` too (Node 24), though its types list it for net only.
    const tlsOptions: ConnectionOptions & { onread: typeof onread } = {
      host,
      port,
      ALPNProtocols: ['http/1.1'],
      onread,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(options.ca === undefined ? {} : { ca: [...rootCertificates, options.ca] }),
    };
    const socket: Socket = url.protocol === 'https:' ? tlsConnect(tlsOptions) : netConnect({ host, port, onread });
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => socket.write(lines.join('\r\n')));
    socket.on('error', fail);
    socket.on('end', () => {
      if (answered) body.ended();
      else fail(Object.assign(new Error('the server closed the connection before answering'), { code: 'ECONNRESET' }));
    });
    socket.on('close', () => {
      if (answered) body.ended();
    });
    const signal = options.signal;
    if (signal) {
      const onAbort = () => fail(signal.reason ?? Object.assign(new Error('The operation was aborted'), { name: 'AbortError' }));
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        socket.once('close', () => signal.removeEventListener('abort', onAbort));
      }
    }
  });
}

function parseHead(text: string): { statusCode: number; headers: IncomingHttpHeaders } {
  const [statusLine = '', ...fields] = text.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(statusLine);
  if (!status) throw Object.assign(new Error(`the server did not answer in HTTP/1.1 (${JSON.stringify(statusLine.slice(0, 40))})`), { code: 'EPROTO' });
  const headers: Record<string, string | string[]> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const name = field.slice(0, colon).trim().toLowerCase();
    const value = field.slice(colon + 1).trim();
    const before = headers[name];
    headers[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value];
  }
  return { statusCode: Number(status[1]), headers: headers as IncomingHttpHeaders };
}

/**
 * A body read straight off the socket: bytes are copied into 1 MiB batches as they arrive and
 * handed on by async iteration; past 8 queued batches the socket pauses until one is taken. It
 * ends after Content-Length bytes, or at the end of the connection when the length is unknown;
 * a connection that ends short of the length is an error (ECONNRESET), so the download asks for
 * the rest. `destroy` closes the connection.
 */
export class RawBody implements AsyncIterable<Uint8Array> {
  #socket: Socket | undefined;
  #remaining: number | null = null;
  #batch: Buffer = Buffer.allocUnsafeSlow(batchBytes);
  #filled = 0;
  readonly #queue: Uint8Array[] = [];
  #done = false;
  #error: unknown;
  #wake: (() => void) | undefined;
  #paused = false;
  /** Batches written and handed back (recycle): reused instead of allocated, so 1 GiB read is not 1,024 buffers for the collector. */
  readonly #free: Buffer[] = [];

  open(socket: Socket, length: number | null): void {
    this.#socket = socket;
    this.#remaining = length;
    if (length === 0) this.#finish();
  }

  /** Where the next read goes: the free end of the current batch (at least 64 KiB of it). */
  room(): Buffer {
    if (batchBytes - this.#filled < minReadBytes) this.#handOn();
    return this.#batch.subarray(this.#filled);
  }

  /** `bytes` were read into room(): counted (past the length ignored); false pauses the socket. */
  filled(bytes: number): boolean {
    if (this.#done) return false;
    const counted = this.#remaining === null ? bytes : Math.min(bytes, this.#remaining);
    if (this.#remaining !== null) this.#remaining -= counted;
    this.#filled += counted;
    if (this.#filled === batchBytes) this.#handOn();
    return this.#afterBytes();
  }

  /** Copies bytes read elsewhere (those that came with the headers) into the batches; false pauses the socket. */
  take(bytes: Buffer): boolean {
    if (this.#done) return false;
    let view = this.#remaining === null ? bytes : bytes.subarray(0, this.#remaining);
    if (this.#remaining !== null) this.#remaining -= view.length;
    while (view.length > 0) {
      const room = batchBytes - this.#filled;
      const part = view.subarray(0, room);
      part.copy(this.#batch, this.#filled);
      this.#filled += part.length;
      view = view.subarray(part.length);
      if (this.#filled === batchBytes) this.#handOn();
    }
    return this.#afterBytes();
  }

  #afterBytes(): boolean {
    if (this.#remaining === 0) {
      this.#finish();
      return false;
    }
    if (this.#queue.length > 0) this.#notify();
    if (this.#queue.length >= maxQueuedBatches) {
      this.#paused = true;
      return false;
    }
    return true;
  }

  /** The connection ended: complete when the length was unknown or reached, else an error. */
  ended(): void {
    if (this.#done) return;
    if (this.#remaining !== null && this.#remaining > 0) {
      this.fail(Object.assign(new Error(`the connection closed with ${this.#remaining} bytes of the body still to come`), { code: 'ECONNRESET' }));
      return;
    }
    this.#finish();
  }

  fail(error: unknown): void {
    if (this.#done) return;
    this.#error = error;
    this.#done = true;
    this.#notify();
  }

  /** A batch this body handed on is written: its memory may hold the next one. */
  recycle(batch: Uint8Array): void {
    if (batch.byteOffset === 0 && batch.buffer.byteLength === batchBytes && this.#free.length < maxQueuedBatches && Buffer.isBuffer(batch)) {
      this.#free.push(Buffer.from(batch.buffer as ArrayBuffer, 0, batchBytes));
    }
  }

  destroy(): void {
    this.#socket?.destroy();
    if (!this.#done) {
      this.#done = true;
      this.#queue.length = 0;
      this.#notify();
    }
  }

  #handOn(): void {
    if (this.#filled === 0) return;
    this.#queue.push(this.#filled === batchBytes ? this.#batch : this.#batch.subarray(0, this.#filled));
    this.#batch = this.#free.pop() ?? Buffer.allocUnsafeSlow(batchBytes);
    this.#filled = 0;
  }

  #finish(): void {
    this.#handOn();
    this.#done = true;
    this.#socket?.destroy();
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        const next = this.#queue.shift();
        if (next !== undefined) {
          if (this.#paused && this.#queue.length < maxQueuedBatches / 2) {
            this.#paused = false;
            this.#socket?.resume();
          }
          yield next;
          continue;
        }
        if (this.#done) {
          if (this.#error !== undefined) throw this.#error;
          return;
        }
        // Nothing whole yet: wait for a batch, the end, or the time to hand on what came.
        let due = false;
        const timer = setTimeout(() => {
          due = true;
          this.#notify();
        }, partialAfterMs);
        await new Promise<void>((resolve) => (this.#wake = resolve));
        clearTimeout(timer);
        if (due && this.#queue.length === 0 && !this.#done) this.#handOn();
      }
    } finally {
      if (!this.#done) this.destroy();
    }
  }
}
