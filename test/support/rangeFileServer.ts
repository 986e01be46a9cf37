import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export interface ServedFile {
  body: Buffer;
  /** Strong validator sent as ETag and honoured in If-Range; default: the body's sha256. */
  etag?: string;
  /** Announce the file's sha256 as Hugging Face does on its resolve redirects (X-Linked-Etag). */
  linkedSha256?: boolean;
  /** Serve this path through a 302 to `/cdn<path>` (as Hugging Face's resolve URLs do). */
  redirect?: boolean;
  /** Answer HEAD with 403, as a URL signed for GET only does. */
  refuseHead?: boolean;
}

export interface RangeFileServer {
  url: string;
  files: Map<string, ServedFile>;
  /** Body bytes written to clients, over every request (what a download cost the server). */
  bytesServed(): number;
  /** Each GET's Range header (`full` without one; a failed If-Range is marked), in order. HEADs are not counted. */
  requests: string[];
  /** The next GET response is cut (socket destroyed) after this many body bytes. */
  dropNextAfter: number | undefined;
  /** The next GET response sends this many body bytes and then stalls (never ends). */
  stallNextAfter: number | undefined;
  resetCounters(): void;
  close(): Promise<void>;
}

const writeChunk = 256 * 1024;

/** A body's sha256, computed once per buffer (hashing 256 MiB per request would slow every answer's first byte). */
const digests = new WeakMap<Buffer, string>();
function sha256Of(body: Buffer): string {
  let digest = digests.get(body);
  if (digest === undefined) {
    digest = createHash('sha256').update(body).digest('hex');
    digests.set(body, digest);
  }
  return digest;
}

/**
 * A loopback HTTP file server with byte-range support (RFC 9110: `Range: bytes=a-b`, `a-`,
 * If-Range against the ETag, 206 with Content-Range, 416 past the end) that counts the body
 * bytes it sends, and can cut or stall one response mid-way: the remote end of a model download
 * in tests and in bench/modelDownload.ts. Never contacts anything.
 */
export async function startRangeFileServer(files: Record<string, ServedFile> = {}): Promise<RangeFileServer> {
  const sockets = new Set<Socket>();
  let served = 0;
  const state: RangeFileServer = {
    url: '',
    files: new Map(Object.entries(files)),
    bytesServed: () => served,
    requests: [],
    dropNextAfter: undefined,
    stallNextAfter: undefined,
    resetCounters: () => {
      served = 0;
      state.requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const direct = state.files.get(path);
    if (direct?.redirect) {
      const headers: Record<string, string> = { location: `/cdn${req.url ?? path}` };
      if (direct.linkedSha256) {
        headers['x-linked-etag'] = `"${sha256Of(direct.body)}"`;
        headers['x-linked-size'] = String(direct.body.length);
      }
      res.writeHead(302, headers).end();
      return;
    }
    const file = direct ?? (path.startsWith('/cdn/') ? state.files.get(path.slice(4)) : undefined);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (file.refuseHead && req.method === 'HEAD') {
      res.writeHead(403).end();
      return;
    }
    const size = file.body.length;
    const etag = `"${file.etag ?? sha256Of(file.body).slice(0, 32)}"`;
    const base: Record<string, string> = { 'accept-ranges': 'bytes', etag, 'content-type': 'application/octet-stream' };
    const rangeHeader = req.headers.range;
    const ifRange = req.headers['if-range'];
    const useRange = rangeHeader !== undefined && (ifRange === undefined || ifRange === etag);
    let start = 0;
    let end = size - 1;
    let status = 200;
    if (useRange) {
      const match = /^bytes=(\d+)-(\d*)$/.exec(rangeHeader);
      if (!match) {
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      start = Number(match[1]);
      end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
      if (start >= size || start > end) {
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      status = 206;
      base['content-range'] = `bytes ${start}-${end}/${size}`;
    }
    if (req.method === 'GET') state.requests.push(rangeHeader === undefined ? 'full' : useRange ? rangeHeader : `${rangeHeader} (changed: sent whole)`);
    res.writeHead(status, { ...base, 'content-length': String(end - start + 1) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const dropAfter = state.dropNextAfter;
    const stallAfter = state.stallNextAfter;
    state.dropNextAfter = undefined;
    state.stallNextAfter = undefined;
    const limit = dropAfter ?? stallAfter;
    let offset = start;
    const last = limit === undefined ? end + 1 : Math.min(end + 1, start + limit);
    const pump = () => {
      while (offset < last) {
        const next = Math.min(last, offset + writeChunk);
        const chunk = file.body.subarray(offset, next);
        served += chunk.length;
        offset = next;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (dropAfter !== undefined && last < end + 1) res.socket?.destroy();
      else if (stallAfter !== undefined && last < end + 1) return; // and never finish
      else res.end();
    };
    pump();
  };

  const server: Server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
