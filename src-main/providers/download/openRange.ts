/** A server's answer to "the file from byte N on", before its body is read. */
export interface RangeAnswer {
  /** 206: the body starts at `start`; 200: the whole file (the range was ignored or the file changed); 416: nothing to send. */
  status: 200 | 206 | 416;
  start: number;
  /** The whole file's size, from Content-Range or Content-Length; null when the server does not say. */
  totalBytes: number | null;
  etag: string | null;
  /** The sha256 Hugging Face announces on its resolve redirect (X-Linked-Etag of an LFS file). */
  linkedSha256: string | null;
  body: ReadableStream<Uint8Array> | null;
}

/** An HTTP status a download cannot use (404, 401, 500 ...): mapped to a kind by the caller. */
export class HttpStatusError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, url: string) {
    super(`the server answered ${statusCode} for ${new URL(url).host}`);
    this.name = 'HttpStatusError';
    this.statusCode = statusCode;
  }
}

const maxRedirects = 5;
const sha256Etag = /^(?:W\/)?"?([0-9a-f]{64})"?$/;

function totalFrom(response: Response, status: number): number | null {
  const range = response.headers.get('content-range');
  const total = range ? /\/(\d+)\s*$/.exec(range)?.[1] : undefined;
  if (total !== undefined) return Number(total);
  const length = response.headers.get('content-length');
  return status === 200 && length !== null && /^\d+$/.test(length) ? Number(length) : null;
}

/**
 * Asks `url` for its bytes from `offset` on: `Range: bytes=offset-`, with `If-Range: etag` so a
 * file that changed since the partial was written comes back whole (200) instead of a mismatched
 * rest. Redirects are followed here (at most 5), not by fetch, to read Hugging Face's
 * X-Linked-Etag on the way and to drop the Authorization header when the redirect leaves the
 * origin (a signed CDN address must not receive the user's token). `HEAD` asks for the size
 * only (before any byte is fetched, to check the disk). Rejects with
 * HttpStatusError on a status that is not 200, 206 or 416, and with fetch's own error when the
 * host cannot be reached.
 */
export async function openRange(
  url: string,
  offset: number,
  etag: string | null,
  options: { headers?: Record<string, string>; signal?: AbortSignal; fetch?: typeof fetch; method?: 'GET' | 'HEAD' } = {},
): Promise<RangeAnswer> {
  const doFetch = options.fetch ?? fetch;
  let current = new URL(url);
  let headers: Record<string, string> = { ...options.headers, 'Accept-Encoding': 'identity' };
  if (offset > 0) {
    headers.Range = `bytes=${offset}-`;
    if (etag !== null && !etag.startsWith('W/')) headers['If-Range'] = etag;
  }
  let linkedSha256: string | null = null;
  let linkedSize: number | null = null;
  const method = options.method ?? 'GET';
  for (let hop = 0; hop <= maxRedirects; hop += 1) {
    const response = await doFetch(current, { method, headers, redirect: 'manual', ...(options.signal ? { signal: options.signal } : {}) });
    const linked = sha256Etag.exec(response.headers.get('x-linked-etag') ?? '')?.[1];
    if (linked !== undefined) linkedSha256 = linked;
    const size = response.headers.get('x-linked-size');
    if (size !== null && /^\d+$/.test(size)) linkedSize = Number(size);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel().catch(() => undefined);
      const next = new URL(location, current);
      if (next.origin !== current.origin) {
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
      }
      current = next;
      continue;
    }
    if (response.status !== 200 && response.status !== 206 && response.status !== 416) {
      await response.body?.cancel().catch(() => undefined);
      throw new HttpStatusError(response.status, current.href);
    }
    const status = response.status;
    const start = status === 206 ? Number(/bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1] ?? -1) : 0;
    if (status === 416 || method === 'HEAD') await response.body?.cancel().catch(() => undefined);
    return {
      status,
      start,
      totalBytes: totalFrom(response, status) ?? linkedSize,
      etag: response.headers.get('etag'),
      linkedSha256,
      body: status === 416 || method === 'HEAD' ? null : response.body,
    };
  }
  throw new HttpStatusError(310, current.href);
}
