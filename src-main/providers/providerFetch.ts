import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw, constants as zlib } from 'node:zlib';
import * as zlibModule from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import { localhostLookup } from '../paths/localhostLookup.ts';

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
 * What the adapters rely on behaves as `fetch` does, and the rest is handed to `fetch` itself
 * (test/unit/providers/providerFetchParity*.test.ts run both against the same servers):
 * - only `http:`/`https:` requests with a text or byte body (or none), one of the usual methods in
 *   capitals, and `redirect: 'manual'` or `'error'` come here (a redirect is never followed by
 *   either; with `'error'` one is refused as fetch refuses it); anything else (another method or
 *   its case, a GET with a body, a URL with credentials or an empty query, one that does not
 *   parse, a header undici refuses, a `cache`, `mode`, `referrer`, `integrity` or `dispatcher`
 *   option) goes to `fetch`, which sends or refuses it in its own words; so does every request
 *   while the process sends fetch's requests another way (a proxy from the environment, by
 *   NODE_USE_ENV_PROXY, `--use-env-proxy[=…]` or `http.setGlobalProxyFromEnv()`, or any
 *   dispatcher set with undici's setGlobalDispatcher), so none goes around it;
 * - the server gets the headers fetch would send: the caller's (trimmed; no `host`), a text body labelled
 *   text/plain, and accept, accept-language, sec-fetch-mode and user-agent as fetch adds them;
 * - a request that cannot connect rejects with `TypeError('fetch failed', { cause })`, a body
 *   that breaks off errors its stream with `TypeError('terminated', { cause })`, and a
 *   cancelled request or body with the signal's reason (a body aborted between two reads hands
 *   out nothing more): the causes are undici's own errors, so classifyHttpError reads them as before;
 * - a body sent gzip, deflate, brotli or zstd is decoded as fetch decodes it (nothing when a
 *   coding is unknown, more than five refused; the bounds on answers apply to the decoded
 *   bytes); no `accept-encoding` is sent, so servers normally send it plain;
 * - connections are kept alive and reused per origin, with undici's defaults (as `fetch`'s).
 * Different on purpose: ports on the browsers' blocklist (6000, 6665…) are reached, not refused;
 * `response.url` is empty and `type` "default" (nothing here reads them); a response header
 * value loses trailing spaces that fetch keeps (the Headers class trims them).
 */
/**
 * With a signal, the caller owns how long a request may take (the router's first-token, total and
 * deadline timeouts, which a user may set to hours for a slow local model; a check's own bound):
 * undici's idle limits (300 s for the headers, 300 s between body chunks) would otherwise cut a
 * first token a user allowed 20 minutes for. Without one, they stay the last resort.
 */
const callerTimed = { headersTimeout: 0, bodyTimeout: 0 } as const;
// The agent connects to a `*.localhost` server (local to the privacy mode) at 127.0.0.1, never asking DNS (localhostLookup).

export const providerFetch: HttpFetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
  const body = init?.body;
  const method = init?.method ?? 'GET';
  if (url === undefined || !handled(url, init, method, body)) return fetch(input, init);
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const headers = headerList(init?.headers, typeof body === 'string');
  let answered: Promise<Dispatcher.ResponseData>;
  try {
    answered = request(url, { method: method as Dispatcher.HttpMethod, headers, body: (body ?? null) as string | Uint8Array | null, dispatcher: (agent ??= new Agent({ connect: { lookup: localhostLookup } })), ...(signal ? { signal, ...callerTimed } : {}) });
  } catch {
    // A URL undici cannot parse: fetch says so in its own words.
    return fetch(input, init);
  }
  return answered.then(
    (answer) => {
      try {
        return responseOf(answer, method, init!.redirect === 'error', signal);
      } catch (error) {
        // Whatever refused the answer, its body is closed (the connection freed) and never left to fail unheard.
        discard(answer.body);
        throw error;
      }
    },
    (error: unknown) => {
      if (signal?.aborted) throw abortReason(signal);
      // A header or method undici refuses: fetch refuses it too, in its own words (not as a connection failure).
      if ((error as { code?: unknown } | null)?.code === 'UND_ERR_INVALID_ARG') return fetch(input, init);
      throw new TypeError('fetch failed', { cause: error });
    },
  );
};

/** The methods sent here; fetch normalizes the case of some and refuses others, so anything else goes to it. */
const methods = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);

function handled(url: string, init: RequestInit | undefined, method: string, body: unknown): boolean {
  if (!url.startsWith('http:') && !url.startsWith('https:')) return false;
  if (init?.redirect !== 'manual' && init?.redirect !== 'error') return false;
  if (!methods.has(method)) return false;
  // Options that change what fetch sends or checks (cache headers, a Referer, a mode's rules, a hash of the body, its own dispatcher).
  if (init.cache !== undefined || init.mode !== undefined || init.referrer !== undefined || init.integrity !== undefined || (init as { dispatcher?: unknown }).dispatcher !== undefined) return false;
  if (body !== undefined && body !== null) {
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) return false;
    if (method === 'GET' || method === 'HEAD') return false; // fetch refuses it
  }
  if (oddUrl(url)) return false;
  return !fetchSendsElsewhere();
}

/**
 * URLs fetch treats in its own way: with credentials (refused; undici would drop them and send
 * the request on), or an empty query ("/path?", which undici's request API would send without its "?").
 */
function oddUrl(url: string): boolean {
  const at = url.indexOf('@');
  if (at !== -1) {
    const path = url.indexOf('/', url.indexOf('//') + 2);
    if (path === -1 || at < path) return true;
  }
  const query = url.indexOf('?');
  return query !== -1 && (query === url.length - 1 || url[query + 1] === '#');
}

/** Where undici (Node's own and the package alike) keeps the dispatcher `fetch` sends through. */
const globalDispatcher = Symbol.for('undici.globalDispatcher.1');
/** The global dispatcher when this module loaded (importing undici installs its default Agent where none was set). */
const defaultDispatcher: unknown = (globalThis as Record<symbol, unknown>)[globalDispatcher];
/** Whether that is a plain Agent: with NODE_USE_ENV_PROXY=1 or `--use-env-proxy[=…]`, Node has installed an EnvHttpProxyAgent before any module loads. */
const plainDefault = (defaultDispatcher as { constructor?: { name?: string } } | undefined)?.constructor?.name === 'Agent';

/**
 * Whether `fetch` sends its requests otherwise than a plain connection would: a proxy from the
 * environment, or a dispatcher installed since (`http.setGlobalProxyFromEnv()`, undici's
 * setGlobalDispatcher). Such requests stay with fetch. One symbol read per call.
 */
function fetchSendsElsewhere(): boolean {
  if (!plainDefault || (globalThis as Record<symbol, unknown>)[globalDispatcher] !== defaultDispatcher) return true;
  return proxiedByEnvironment();
}

/**
 * Node's own fetch sends through HTTP(S)_PROXY when NODE_USE_ENV_PROXY is set: a backstop to
 * the dispatcher's check above. Node reads the switch once, when it starts; so does this, on
 * first use (process.env is slow to ask on every call).
 */
let proxied: boolean | undefined;
function proxiedByEnvironment(): boolean {
  if (proxied === undefined) {
    const flag = process.env.NODE_USE_ENV_PROXY;
    proxied = flag !== undefined && flag !== '' && flag !== '0';
  }
  return proxied;
}

/**
 * The request's headers as undici takes them (name, value, name, value…), with what fetch adds
 * when they are missing (accept, accept-language, user-agent; sec-fetch-mode always) and without
 * a `host` (fetch drops it). A text body without a type is labelled as fetch labels it.
 */
function headerList(given: RequestInit['headers'], textBody: boolean): string[] {
  const list: string[] = [];
  let typed = false;
  let accept = false;
  let language = false;
  let agent = false;
  const add = (name: string, value: string): void => {
    switch (name.toLowerCase()) {
      case 'content-type':
        typed = true;
        break;
      case 'accept':
        accept = true;
        break;
      case 'accept-language':
        language = true;
        break;
      case 'user-agent':
        agent = true;
        break;
      case 'host':
      case 'sec-fetch-mode':
        return;
    }
    list.push(name, padded(value) ? value.replace(httpWhitespace, '') : value);
  };
  if (given instanceof Headers) given.forEach((value, name) => add(name, value));
  else if (Array.isArray(given)) for (const [name, value] of given) add(name, value);
  else if (given) for (const [name, value] of Object.entries(given)) if (value !== undefined) add(name, String(value));
  if (textBody && !typed) list.push('content-type', 'text/plain;charset=UTF-8');
  if (!accept) list.push('accept', '*/*');
  if (!language) list.push('accept-language', '*');
  list.push('sec-fetch-mode', 'cors');
  if (!agent) list.push('user-agent', 'node');
  return list;
}

/** Leading and trailing HTTP whitespace, which fetch takes off a header value (undici would send it). */
const httpWhitespace = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function padded(value: string): boolean {
  return value !== '' && (value.charCodeAt(0) <= 0x20 || value.charCodeAt(value.length - 1) <= 0x20);
}

/** What fetch rejects with when the signal aborts before the response: the signal's reason, whatever it is. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason as unknown;
}

/** What fetch errors a response body with when the signal aborts: the signal's reason, or (a falsy one) an AbortError of its own. */
function bodyAbortReason(signal: AbortSignal): unknown {
  return (signal.reason as unknown) || new DOMException('The operation was aborted.', 'AbortError');
}

/** Statuses whose response has no body (the Response constructor refuses one). */
const noBody = new Set([101, 103, 204, 205, 304]);

/** Redirect statuses: with `redirect: 'error'` fetch refuses them. */
const redirects = new Set([301, 302, 303, 307, 308]);

function responseOf(answer: Dispatcher.ResponseData, method: string, refuseRedirect: boolean, signal: AbortSignal | undefined): Response {
  if (refuseRedirect && redirects.has(answer.statusCode)) {
    discard(answer.body);
    throw new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else if (value !== undefined) headers.append(name, value);
  }
  const { statusCode } = answer;
  const bodiless = noBody.has(statusCode) || method === 'HEAD';
  if (bodiless) drain(answer.body);
  const stream = bodiless ? null : webStream(decoded(answer.body, headers.get('content-encoding')), signal);
  // The Response constructor takes 200–599 only; a server may send any three digits (fetch passes them on).
  const response = new Response(stream, { status: statusCode >= 200 && statusCode <= 599 ? statusCode : 500, statusText: answer.statusText ?? '', headers });
  if (statusCode < 200 || statusCode > 599) Object.defineProperties(response, { status: { value: statusCode }, ok: { value: false } });
  return response;
}

/**
 * A body no one will read, closed. undici's body emits 'error' when destroyed (and when its
 * socket fails later): with no listener that is an uncaught exception, which ends the process.
 */
function discard(body: Readable): void {
  body.on('error', ignore);
  body.destroy();
}

/** A body without content (HEAD, 204, 304) read to its end, so the connection is reused; a failure of it is nobody's. */
function drain(body: Readable): void {
  body.on('error', ignore);
  body.resume();
}

function ignore(): void {}

/** The most content codings fetch undoes; an answer with more is refused (a decompression bomb in layers). */
const maxCodings = 5;

/**
 * The body decoded as fetch decodes it: each listed coding undone, last applied first, but
 * nothing at all when one of them is unknown ("identity" and an empty one included, as fetch).
 */
function decoded(body: Readable, encoding: string | null): Readable {
  if (encoding === null) return body;
  const codings = encoding.toLowerCase().split(',');
  if (codings.length > maxCodings) {
    discard(body);
    throw new TypeError('fetch failed', { cause: new Error(`too many content-encodings in response: ${codings.length}, maximum allowed is ${maxCodings}`) });
  }
  for (let index = 0; index < codings.length; index += 1) {
    const coding = codings[index]!.trim();
    if (!knownCodings.has(coding)) return body;
    codings[index] = coding;
  }
  let stream: Readable = body;
  for (let index = codings.length - 1; index >= 0; index -= 1) {
    const decoder = decoderFor(codings[index]!);
    const from = stream;
    from.on('error', (error) => decoder.destroy(error));
    stream = from.pipe(decoder);
    // A consumer that stops reading closes the connection underneath.
    stream.on('close', () => from.destroy());
  }
  return stream;
}

const zstdDecompress = (zlibModule as { createZstdDecompress?: () => Transform }).createZstdDecompress;
const knownCodings = new Set(['gzip', 'x-gzip', 'deflate', 'br', ...(zstdDecompress ? ['zstd'] : [])]);

function decoderFor(coding: string): Transform {
  const lenient = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH };
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip(lenient);
    case 'deflate':
      return new DeflateDecoder(lenient);
    case 'br':
      return createBrotliDecompress({ flush: zlib.BROTLI_OPERATION_FLUSH, finishFlush: zlib.BROTLI_OPERATION_FLUSH });
    default:
      return zstdDecompress!();
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
 * A web stream over undici's body, as fetch's body is: chunks as they are asked for (the body
 * flows only while a read waits, so nothing is held in the stream that a cancelled request could
 * still hand out), a break-off as `TypeError('terminated')`, a cancelled request as the signal's
 * reason; cancelling it destroys the body, which closes the connection.
 */
function webStream(body: Readable, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  let done = false;
  let flowing = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        body.on('end', () => {
          if (done) return;
          done = true;
          controller.close();
        });
        body.on('error', (error) => {
          if (done) return;
          done = true;
          controller.error(signal?.aborted ? bodyAbortReason(signal) : new TypeError('terminated', { cause: error }));
        });
      },
      pull(controller) {
        if (done) return;
        if (signal?.aborted) {
          // Aborted between two reads: fetch errors the body at once, before anything that already came.
          done = true;
          controller.error(bodyAbortReason(signal));
          body.destroy();
          return;
        }
        if (flowing) return void body.resume();
        flowing = true;
        body.on('data', (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) body.pause();
        });
      },
      cancel() {
        done = true;
        body.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}
