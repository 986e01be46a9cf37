import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** A GGUF file known only by its header: every byte past the header reads as zero. */
export interface ServedGguf {
  header: Buffer;
  sizeBytes: number;
}

export interface GgufHeaderServer {
  /** `http://127.0.0.1:PORT/`: use it as the Hugging Face endpoint (hf:USER/REPO/FILE resolves under it). */
  endpoint: string;
  /** Requests per path (without the query), so tests can see what was read and that a cache held. */
  requests(path?: string): number;
  /** Bytes sent in response bodies so far. */
  bytesSent(): number;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for huggingface.co serving GGUF headers: `files` maps `USER/REPO/FILE` to
 * a header (e.g. tinyGgufHeader's 7B- or 70B-shaped one) and the file's full size; the server
 * answers `/USER/REPO/resolve/main/FILE` (the URL node-llama-cpp resolves an hf: URI to) with
 * byte ranges (206 with Content-Range, as the real server does) or the whole file streamed, the
 * bytes past the header being zeros. Unknown paths are 404. Never contacts anything.
 */
export async function startGgufHeaderServer(files: Record<string, ServedGguf>): Promise<GgufHeaderServer> {
  const counts = new Map<string, number>();
  let sent = 0;
  const byPath = new Map(Object.entries(files).map(([key, file]) => [hfPath(key), file]));

  function answer(request: IncomingMessage, response: ServerResponse): void {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const file = byPath.get(path);
    if (file === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? '');
    const headers = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', 'x-linked-size': String(file.sizeBytes) };
    let start = 0;
    let end = file.sizeBytes - 1;
    if (range) {
      start = Number(range[1]);
      end = range[2] === '' ? end : Math.min(Number(range[2]), end);
      if (start > end) {
        response.writeHead(416, { ...headers, 'content-range': `bytes */${file.sizeBytes}` }).end();
        return;
      }
      response.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${file.sizeBytes}`, 'content-length': String(end - start + 1) });
    } else {
      response.writeHead(200, { ...headers, 'content-length': String(file.sizeBytes) });
    }
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const body = Readable.from(bytesOf(file, start, end + 1));
    body.on('data', (chunk: Buffer) => (sent += chunk.length));
    body.pipe(response);
  }

  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/`,
    requests: (path) => (path === undefined ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(hfPath(path)) ?? 0)),
    bytesSent: () => sent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `USER/REPO/FILE` → `/USER/REPO/resolve/main/FILE`. */
function hfPath(key: string): string {
  const [user, repo, ...file] = key.split('/');
  return `/${user}/${repo}/resolve/main/${file.join('/')}`;
}

/** The bytes [start, end) of the file, in chunks of at most 1 MiB: header bytes, then zeros. */
function* bytesOf(file: ServedGguf, start: number, end: number): Generator<Buffer> {
  const chunk = 1 << 20;
  for (let at = start; at < end; at += chunk) {
    const stop = Math.min(end, at + chunk);
    const piece = Buffer.alloc(stop - at);
    if (at < file.header.length) file.header.copy(piece, 0, at, Math.min(stop, file.header.length));
    yield piece;
  }
}
