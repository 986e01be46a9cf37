import * as zlib from 'node:zlib';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkedFetch } from '../../../src-main/providers/checkedFetch.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { providerFetch } from '../../../src-main/providers/providerFetch.ts';
import { httpServer, observeBoth } from '../../support/fetchParity.ts';

// Content codings through providerFetch and Node's fetch: each decoded (or left alone) the same,
// a broken one failing the same, and the one difference by design: providerFetch asks for none.

const text = Buffer.from('{"id":"chatcmpl-1","choices":[{"delta":{"content":"hello, world"}}]}\n'.repeat(40));
const zstdCompressSync = (zlib as { zstdCompressSync?: (data: Buffer) => Buffer }).zstdCompressSync;

function encoded(coding: string, body: Buffer, status = 200): Promise<string> {
  return httpServer((_req, res) => {
    res.writeHead(status, { 'content-encoding': coding, 'content-type': 'application/json' });
    res.end(body);
  });
}

describe('content codings', () => {
  const cases: [string, string, Buffer][] = [
    ['gzip', 'gzip', gzipSync(text)],
    ['x-gzip', 'x-gzip', gzipSync(text)],
    ['GZIP in capitals', 'GZIP', gzipSync(text)],
    ['deflate, zlib-wrapped', 'deflate', deflateSync(text)],
    ['deflate, raw (as some servers send it)', 'deflate', deflateRawSync(text)],
    ['br', 'br', brotliCompressSync(text)],
    ['two codings, "gzip, br" (br applied last, undone first)', 'gzip, br', brotliCompressSync(gzipSync(text))],
    ['"deflate,gzip" without a space', 'deflate,gzip', gzipSync(deflateSync(text))],
    ['five codings (the most fetch takes)', 'gzip, gzip, gzip, gzip, gzip', gzipSync(gzipSync(gzipSync(gzipSync(gzipSync(text)))))],
    ['an unknown coding: left as it is', 'compress', text],
    ['an unknown coding after a known one: nothing decoded', 'gzip, snappy', gzipSync(text)],
    ['an unknown coding before a known one: nothing decoded', 'snappy, gzip', gzipSync(text)],
    ['"identity" with gzip: nothing decoded (fetch does not know "identity")', 'gzip, identity', gzipSync(text)],
    ['"identity" alone', 'identity', text],
    ['a trailing comma: nothing decoded', 'gzip,', gzipSync(text)],
    ['six codings: refused', 'gzip, gzip, gzip, gzip, gzip, gzip', gzipSync(text)],
    ['a corrupt gzip body', 'gzip', Buffer.from('this is not gzip at all')],
    ['a gzip body cut short', 'gzip', gzipSync(text).subarray(0, 40)],
    ['a gzip body with bytes after its end', 'gzip', Buffer.concat([gzipSync(text), Buffer.from('trailing junk')])],
    ['a corrupt brotli body', 'br', Buffer.from('not brotli!')],
    ['a corrupt deflate body', 'deflate', Buffer.from('xnot deflate')],
    ['an empty gzip body', 'gzip', Buffer.alloc(0)],
    ['an empty deflate body', 'deflate', Buffer.alloc(0)],
  ];
  if (zstdCompressSync) {
    cases.push(['zstd', 'zstd', zstdCompressSync(text)], ['a corrupt zstd body', 'zstd', Buffer.from('not zstd')]);
  }
  for (const [name, coding, body] of cases) {
    it(`${name}`, async () => {
      const url = await encoded(coding, body);
      const { fetch, provider } = await observeBoth(url);
      expect(provider).toEqual(fetch);
    });
  }

  it('a gzip body is decoded to the very bytes sent', async () => {
    const url = await encoded('gzip', gzipSync(text));
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.body).toBe(text.toString('latin1'));
    expect(provider.body).toBe(text.toString('latin1'));
  });

  it('a gzip body with a 204, and one answering HEAD, is not decoded (there is none)', async () => {
    const url = await encoded('gzip', Buffer.alloc(0), 204);
    expect((await observeBoth(url)).provider).toEqual((await observeBoth(url)).fetch);
    const head = await encoded('gzip', gzipSync(text));
    const { fetch, provider } = await observeBoth(head, { method: 'HEAD' });
    expect(fetch.body).toBeNull();
    expect(provider).toEqual(fetch);
  });

  it('a gzip body on a 307 (handed back, not followed) is decoded as fetch decodes it', async () => {
    const url = await encoded('gzip', gzipSync(text), 307);
    const { fetch, provider } = await observeBoth(url);
    expect(provider).toEqual(fetch);
  });
});

describe('accept-encoding (different by design)', () => {
  it('fetch asks for gzip and deflate; providerFetch asks for nothing, so a server that honours it sends plain text', async () => {
    const asked: (string | undefined)[] = [];
    const url = await httpServer((req, res) => {
      asked.push(req.headers['accept-encoding']);
      const gzip = /gzip/.test(req.headers['accept-encoding'] ?? '');
      res.writeHead(200, gzip ? { 'content-encoding': 'gzip' } : {});
      res.end(gzip ? gzipSync(text) : text);
    });
    const { fetch, provider } = await observeBoth(url);
    expect(asked).toEqual(['gzip, deflate', undefined]);
    expect(fetch.headers).toContainEqual(['content-encoding', 'gzip']);
    expect(provider.headers?.some(([name]) => name === 'content-encoding')).toBe(false);
    expect(provider.body).toBe(fetch.body);
  });

  it('an accept-encoding the caller sets is sent by both as given', async () => {
    const asked: (string | undefined)[] = [];
    const url = await httpServer((req, res) => {
      asked.push(req.headers['accept-encoding']);
      res.end('ok');
    });
    await observeBoth(url, { headers: { 'accept-encoding': 'br' } });
    expect(asked).toEqual(['br', 'br']);
  });
});

describe('a gzip bomb through checkedFetch', () => {
  it('is refused at the bound on decoded bytes, whichever fetch is underneath, and the same way', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"object":"list","data":['), Buffer.alloc(80 << 20, 0x20), Buffer.from(']}')]));
    expect(bomb.length).toBeLessThan(1 << 20);
    const url = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    });
    const failures: unknown[] = [];
    for (const base of [(input: string | URL | Request, init?: RequestInit) => fetch(input, init), providerFetch]) {
      const response = await checkedFetch('p', base)(`${url}/v1/models`, { redirect: 'manual' });
      failures.push(await response.text().then(() => undefined, (error: unknown) => error));
    }
    const [viaFetch, viaProvider] = failures as ProviderError[];
    expect(viaFetch).toBeInstanceOf(ProviderError);
    expect(viaFetch!.message).toMatch(/an answer of more than 64 MB/);
    expect(viaProvider).toBeInstanceOf(ProviderError);
    expect({ kind: viaProvider!.kind, message: viaProvider!.message }).toEqual({ kind: viaFetch!.kind, message: viaFetch!.message });
  }, 30_000);
});
