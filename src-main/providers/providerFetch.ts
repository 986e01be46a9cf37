import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw, constants as zlib } from 'node:zlib';
import * as zlibModule from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';

/** The fetch the SDKs accept (their `fetch` option). */
export type HttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

let agent: Agent | undefined;

/**
 * The fetch the model adapters send through: the same HTTP client that Node's `fetch` is built on
 * (undici), called through its plain request API. WHATWG fetch costs about 140 µs of CPU per
 * streamed model call on top of that (Request, Headers and stream objects, its algorithm's
 * steps); on a model on this machine that answers in half a millisecond it was a quarter of
 * the call (bench/routerOverhead.ts).
 *
 * What the adapters rely on behaves as `fetch` does, and the rest is handed to `fetch` itself:
 * - only `http:`/`https:` requests with a text or byte body (or none) and `redirect: 'manual'`
 *   or `'error'` come here (a redirect is never followed by either); anything else goes to
 *   `fetch`: an address with a user name or password (which fetch refuses), and every request
 *   while the process sends fetch's requests another way (a proxy from the environment, by
 *   NODE_USE_ENV_PROXY, `--use-env-proxy[=…]` or `http.setGlobalProxyFromEnv()`, or any
 *   dispatcher set with undici's setGlobalDispatcher), so none goes around it;
 * - a request that cannot connect rejects with `TypeError('fetch failed', { cause })`, a body
 *   that breaks off errors its stream with `TypeError('terminated', { cause })`, and a
 *   cancelled request or body with the signal's reason: the causes are undici's own errors, so
 *   classifyHttpError reads them as before;
 * - a body sent gzip, deflate, brotli or zstd is decoded (the bounds on answers apply to the
 *   decoded bytes); no `accept-encoding` is sent, so servers normally send it plain;
 * - connections are kept alive and reused per origin, with undici's defaults (as `fetch`'s).
 */
export const providerFetch: HttpFetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
  const body = init?.body;
  if (url === undefined || !handled(url, init, body)) return fetch(input, init);
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const headers = headerList(init?.headers, typeof body === 'string');
  return request(url, { method: (init?.method ?? 'GET') as Dispatcher.HttpMethod, headers, body: (body ?? null) as string | Uint8Array | null, dispatcher: (agent ??= new Agent()), ...(signal ? { signal } : {}) }).then(
    (answer) => responseOf(answer, init?.method ?? 'GET', signal),
    (error: unknown) => {
      throw signal?.aborted ? abortReason(signal) : new TypeError('fetch failed', { cause: error });
    },
  );
};

function handled(url: string, init: RequestInit | undefined, body: unknown): boolean {
  if (!url.startsWith('http:') && !url.startsWith('https:')) return false;
  if (init?.redirect !== 'manual' && init?.redirect !== 'error') return false;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return false;
  // fetch refuses a URL with credentials (a TypeError); undici would drop them and send the request on.
  if (url.includes('@') && withCredentials.test(url)) return false;
  return !fetchSendsElsewhere();
}

const withCredentials = /^https?:\/\/[^/?#]*@/i;

/** Where undici (Node's own and the package alike) keeps the dispatcher `fetch` sends through. */
const globalDispatcher = Symbol.for('undici.globalDispatcher.1');
/** The global dispatcher when this module loaded (importing undici installs its default Agent where none was set). */
const defaultDispatcher: unknown = (globalThis as Record<symbol, unknown>)[globalDispatcher];
/** Whether that is a plain Agent: with NODE_USE_ENV_PROXY=1 or `--use-env-proxy[=…]`, Node has installed an EnvHttpProxyAgent before any module loads. */
const plainDefault = (defaultDispatcher as { constructor?: { name?: string } } | undefined)?.constructor?.name === 'Agent';

/**
 * Whether `fetch` sends its requests otherwise than a plain connection would: a proxy from the
 * environment, or a dispatcher installed since (`http.setGlobalProxyFromEnv()`, undici's
 * setGlobalDispatcher). Such requests stay with fetch.
 */
function fetchSendsElsewhere(): boolean {
  if (!plainDefault || (globalThis as Record<symbol, unknown>)[globalDispatcher] !== defaultDispatcher) return true;
  const flag = process.env.NODE_USE_ENV_PROXY;
  return flag !== undefined && flag !== '' && flag !== '0';
}

/** The request's headers as undici takes them (name, value, name, value…); a text body without a type is labelled as fetch labels it. */
function headerList(given: RequestInit['headers'], textBody: boolean): string[] {
  const list: string[] = [];
  let typed = false;
  const add = (name: string, value: string): void => {
    if (name.toLowerCase() === 'content-type') typed = true;
    list.push(name, value);
  };
  if (given instanceof Headers) given.forEach((value, name) => add(name, value));
  else if (Array.isArray(given)) for (const [name, value] of given) add(name, value);
  else if (given) for (const [name, value] of Object.entries(given)) if (value !== undefined) add(name, String(value));
  if (textBody && !typed) list.push('content-type', 'text/plain;charset=UTF-8');
  return list;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Statuses whose response has no body (the Response constructor refuses one). */
const noBody = new Set([101, 103, 204, 205, 304]);

function responseOf(answer: Dispatcher.ResponseData, method: string, signal: AbortSignal | undefined): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else if (value !== undefined) headers.append(name, value);
  }
  const { statusCode } = answer;
  const bodiless = noBody.has(statusCode) || method.toUpperCase() === 'HEAD';
  if (bodiless) answer.body.resume();
  const stream = bodiless ? null : webStream(decoded(answer.body, headers.get('content-encoding')), signal);
  // The Response constructor takes 200–599 only; a server may send any three digits (fetch passes them on).
  const response = new Response(stream, { status: statusCode >= 200 && statusCode <= 599 ? statusCode : 500, statusText: answer.statusText ?? '', headers });
  if (statusCode < 200 || statusCode > 599) Object.defineProperties(response, { status: { value: statusCode }, ok: { value: false } });
  return response;
}

/** The body decoded as fetch decodes it: each listed coding undone, last applied first; an unknown one left as it is. */
function decoded(body: Readable, encoding: string | null): Readable {
  if (encoding === null) return body;
  const codings = encoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0 || codings.length > 5) return body;
  let stream: Readable = body;
  for (const coding of codings.reverse()) {
    const decoder = decoderFor(coding);
    if (!decoder) return stream;
    const from = stream;
    from.on('error', (error) => decoder.destroy(error));
    stream = from.pipe(decoder);
    // A consumer that stops reading closes the connection underneath.
    stream.on('close', () => from.destroy());
  }
  return stream;
}

function decoderFor(coding: string): Transform | undefined {
  const lenient = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip(lenient);
    case 'deflate':
      return new DeflateDecoder(lenient);
    case 'br':
      return createBrotliDecompress({ flush: zlib.BROTLI_OPERATION_FLUSH, finishFlush: zlib.BROTLI_OPERATION_FLUSH });
    case 'zstd': {
      const zstd = (zlibModule as { createZstdDecompress?: () => Transform }).createZstdDecompress;
      return zstd?.();
    }
    default:
      return undefined;
  }
}

/** "deflate" is zlib-wrapped by the standard and raw by some servers: the first byte says which (as fetch decides). */
class DeflateDecoder extends Transform {
  readonly #options: { flush: number; finishFlush: number };
  #inner: Transform | undefined;

  constructor(options: { flush: number; finishFlush: number }) {
    super();
    this.#options = options;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.#inner) {
      const inner: Transform = (chunk[0]! & 0x0f) === 0x08 ? createInflate(this.#options) : createInflateRaw(this.#options);
      inner.on('data', (data: Buffer) => this.push(data));
      inner.on('error', (error) => this.destroy(error));
      this.#inner = inner;
    }
    this.#inner.write(chunk, () => done());
  }

  override _flush(done: TransformCallback): void {
    if (!this.#inner) return done();
    this.#inner.once('end', () => done());
    this.#inner.end();
  }
}

/**
 * A web stream over undici's body, as fetch's body is: chunks as they come (backpressure through
 * pause/resume), a break-off as `TypeError('terminated')`, a cancelled request as the signal's
 * reason; cancelling it destroys the body, which closes the connection.
 */
function webStream(body: Readable, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        body.on('data', (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) body.pause();
        });
        body.on('end', () => {
          if (done) return;
          done = true;
          controller.close();
        });
        body.on('error', (error) => {
          if (done) return;
          done = true;
          controller.error(signal?.aborted ? abortReason(signal) : new TypeError('terminated', { cause: error }));
        });
      },
      pull() {
        body.resume();
      },
      cancel() {
        done = true;
        body.destroy();
      },
    },
    { highWaterMark: 1 },
  );
}

