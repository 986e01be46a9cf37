// getBuiltinModule, not an ESM import: the import's facade reads node:http's lazy undici getters (loads fetch) at every start.
const { request } = process.getBuiltinModule('node:http');

export type LoopbackHost = '127.0.0.1' | '::1';

/** What one GET brought back: the status and, for a 2xx JSON body within the cap, the parsed body. */
export interface LoopbackAnswer {
  status: number;
  json?: unknown;
}

export interface LoopbackGetOptions {
  /** The whole exchange, connect to last byte. */
  timeoutMs: number;
  /** Past this many bytes the body is dropped (and the answer has no json). */
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * One GET to a loopback address, bounded in time and size. Only 127.0.0.1 and ::1 are accepted
 * (the host is a literal address, so no name is resolved), and a redirect is never followed: a
 * 3xx is returned as its status, so an answer can never lead the probe off this machine. No
 * connection is kept alive. Resolves undefined when nothing answered (refused, reset, timed out).
 */
export function loopbackGet(host: LoopbackHost, port: number, path: string, options: LoopbackGetOptions): Promise<LoopbackAnswer | undefined> {
  if (host !== '127.0.0.1' && host !== '::1') return Promise.reject(new Error(`not a loopback address: ${String(host)}`));
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: LoopbackAnswer | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(answer);
    };
    const req = request({ host, port, path, method: 'GET', agent: false, headers: { accept: 'application/json' }, family: host === '::1' ? 6 : 4 }, (res) => {
      const status = res.statusCode ?? 0;
      const type = String(res.headers['content-type'] ?? '');
      const declared = Number(res.headers['content-length'] ?? 0);
      if (status < 200 || status >= 300 || declared > options.maxBytes) {
        res.destroy();
        finish({ status });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          res.destroy();
          finish({ status });
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        // Some servers label JSON as text; the body decides, not the header.
        if (!/json/i.test(type) && !/^\s*[[{]/.test(text)) return finish({ status });
        try {
          finish({ status, json: JSON.parse(text) as unknown });
        } catch {
          finish({ status });
        }
      });
      res.on('error', () => finish({ status }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(undefined);
    }, options.timeoutMs);
    const onAbort = (): void => {
      req.destroy();
      finish(undefined);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', () => finish(undefined));
    req.end();
  });
}
