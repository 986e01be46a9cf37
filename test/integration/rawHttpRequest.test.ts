// The download's own HTTP/1.1 reader against real servers on loopback: plain and TLS (a
// certificate made here with openssl), a body cut short, an answer in chunks (read through Node's
// client instead, by openRange), a header that would split the request.
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openRange } from '../../src-main/providers/download/openRange.ts';
import { rawHttpRequest, UnsupportedFraming } from '../../src-main/providers/download/rawHttpRequest.ts';
import { useTempDirs } from '../support/useTempDirs.ts';

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

describe('rawHttpRequest', () => {
  const tempDir = useTempDirs();
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  const listen = async (server: Server) => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  const body = randomFillSync(Buffer.alloc(5 * 1024 * 1024 + 123));

  it('reads a Content-Length body whole, in 1 MiB batches, with the status and headers', async () => {
    const port = await listen(createHttpServer((req, res) => res.writeHead(206, { 'content-length': body.length, etag: '"abc"', 'x-linked-etag': 'one', 'set-cookie': ['a=1', 'b=2'] }).end(body)));
    const answer = await rawHttpRequest(new URL(`http://127.0.0.1:${port}/file?x=1`), { method: 'GET', headers: { Range: 'bytes=0-' } });
    expect(answer.statusCode).toBe(206);
    expect(answer.headers).toMatchObject({ etag: '"abc"', 'x-linked-etag': 'one', 'set-cookie': ['a=1', 'b=2'] });
    const sizes: number[] = [];
    const parts: Uint8Array[] = [];
    for await (const part of answer.body) {
      sizes.push(part.length);
      parts.push(Buffer.from(part));
    }
    expect(Buffer.concat(parts).equals(body)).toBe(true);
    expect(sizes.slice(0, 5)).toEqual([1048576, 1048576, 1048576, 1048576, 1048576]);
  });

  it('over TLS, trusting a certificate made for this test', async () => {
    const dir = tempDir();
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const port = await listen(createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => res.writeHead(200, { 'content-length': body.length }).end(body)));
    const answer = await rawHttpRequest(new URL(`https://localhost:${port}/model.gguf`), { method: 'GET', headers: {}, ca: cert });
    expect(answer.statusCode).toBe(200);
    expect((await collect(answer.body)).equals(body)).toBe(true);
    // Not trusted: the TLS error, nothing read.
    await expect(rawHttpRequest(new URL(`https://localhost:${port}/model.gguf`), { method: 'GET', headers: {} })).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/) });
  });

  it('a connection that closes before the length is reached is an error the download retries (ECONNRESET)', async () => {
    const port = await listen(
      createHttpServer((req, res) => {
        res.writeHead(200, { 'content-length': body.length });
        res.write(body.subarray(0, 2 * 1024 * 1024), () => res.socket?.destroy());
      }),
    );
    const answer = await rawHttpRequest(new URL(`http://127.0.0.1:${port}/`), { method: 'GET', headers: {} });
    await expect(collect(answer.body)).rejects.toMatchObject({ code: 'ECONNRESET', message: expect.stringContaining('bytes of the body still to come') });
  });

  it('an answer in chunks is refused here and read whole through Node by openRange', async () => {
    const port = await listen(
      createHttpServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(body.subarray(0, 1000));
        res.end(body.subarray(1000));
      }),
    );
    await expect(rawHttpRequest(new URL(`http://127.0.0.1:${port}/`), { method: 'GET', headers: {} })).rejects.toBeInstanceOf(UnsupportedFraming);
    const answer = await openRange(`http://127.0.0.1:${port}/`, 0, null);
    expect(answer.status).toBe(200);
    expect((await collect(answer.body as AsyncIterable<Uint8Array>)).equals(body)).toBe(true);
  });

  it('a header value with a line break is refused before anything is sent; HEAD has no body', async () => {
    const seen: string[] = [];
    const port = await listen(createHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-length': 10 }).end(req.method === 'HEAD' ? undefined : '0123456789');
    }));
    expect(() => rawHttpRequest(new URL(`http://127.0.0.1:${port}/`), { method: 'GET', headers: { Authorization: 'Bearer x\r\nX-Evil: 1' } })).toThrow(/line break/);
    const head = await rawHttpRequest(new URL(`http://127.0.0.1:${port}/a`), { method: 'HEAD', headers: {} });
    expect(head.headers['content-length']).toBe('10');
    expect(await collect(head.body)).toHaveLength(0);
    expect(seen).toEqual(['HEAD /a']);
  });
});
