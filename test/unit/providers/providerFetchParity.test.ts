import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { providerFetch } from '../../../src-main/providers/providerFetch.ts';
import { fixedAnswer, httpServer, observe, observeBoth, rawServer } from '../../support/fetchParity.ts';

// providerFetch against Node's fetch: statuses, headers, bodies and the ways a response breaks,
// from real servers on 127.0.0.1 (node:http, or raw sockets for what node:http will not send).
// Each case runs the same server behaviour through both and expects the caller to see the same.

describe('statuses', () => {
  for (const status of [200, 204, 304, 404, 500, 599]) {
    it(`${status} has the same status, ok, statusText, headers and body`, async () => {
      const url = await httpServer((_req, res) => {
        res.writeHead(status, { 'x-answer': 'yes', 'content-type': 'text/plain' });
        res.end(status === 204 || status === 304 ? undefined : `body of ${status}`);
      });
      const { fetch, provider } = await observeBoth(url);
      expect(fetch.status).toBe(status);
      expect(provider).toEqual(fetch);
    });
  }

  for (const status of [600, 999]) {
    it(`${status} (outside what the Response constructor takes) is passed on as fetch passes it, not ok`, async () => {
      const url = await fixedAnswer(`HTTP/1.1 ${status} Odd\r\ncontent-length: 5\r\n\r\nhello`);
      const { fetch, provider } = await observeBoth(url);
      expect(fetch).toMatchObject({ status, ok: false, statusText: 'Odd', body: 'hello' });
      expect(provider).toEqual(fetch);
    });
  }

  it('a status line without a reason phrase gives an empty statusText on both', async () => {
    const url = await fixedAnswer('HTTP/1.1 200\r\ncontent-length: 2\r\n\r\nhi');
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.statusText).toBe('');
    expect(provider).toEqual(fetch);
  });

  it('103 Early Hints before the 200: the 200 is the answer', async () => {
    const url = await httpServer((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.writeHead(200, { 'x-final': '1' });
      res.end('final');
    });
    const { fetch, provider } = await observeBoth(url);
    expect(fetch).toMatchObject({ status: 200, body: 'final' });
    expect(provider).toEqual(fetch);
  });

  it('a 100 Continue nobody asked for, then a 103, then a 404: refused by both alike', async () => {
    const url = await fixedAnswer('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 404 Not Found\r\ncontent-length: 4\r\n\r\nnope');
    const { fetch, provider } = await observeBoth(url);
    expect(fetch).toMatchObject({ rejected: { message: 'fetch failed', cause: { code: 'UND_ERR_SOCKET', message: 'bad response' } } });
    expect(provider).toEqual(fetch);
  });

  for (const status of [301, 307, 308]) {
    it(`redirect ${status} with redirect: 'manual' is handed back, not followed`, async () => {
      let requests = 0;
      const url = await httpServer((req, res) => {
        requests += 1;
        if (req.url === '/elsewhere') return void res.end('followed');
        res.writeHead(status, { location: '/elsewhere' });
        res.end('moved');
      });
      const { fetch, provider } = await observeBoth(url, { method: 'POST', body: 'prompt' });
      expect(fetch).toMatchObject({ status, body: 'moved' });
      expect(provider).toEqual(fetch);
      expect(requests).toBe(2);
    });
  }

  it("with redirect: 'error', a redirect status (with or without a location) is refused as fetch refuses it; 300 and 304 are not redirects", async () => {
    let requests = 0;
    const url = await httpServer((req, res) => {
      requests += 1;
      const [status, location] = req.url!.slice(1).split('-');
      res.writeHead(Number(status), location ? { location: '/elsewhere' } : {});
      res.end('moved');
    });
    for (const path of ['301-l', '302-l', '303-l', '307-l', '308-l', '307', '300-l', '304-l']) {
      const { fetch, provider } = await observeBoth(`${url}/${path}`, { redirect: 'error' });
      expect(provider).toEqual(fetch);
    }
    expect((await observeBoth(`${url}/308-l`, { redirect: 'error' })).fetch.rejected).toMatchObject({ message: 'fetch failed', cause: { message: 'unexpected redirect' } });
    expect(requests).toBe(18);
  });

  it('HEAD: the status and headers, no body', async () => {
    const url = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-length': '1000', 'content-type': 'application/json' });
      res.end();
    });
    const { fetch, provider } = await observeBoth(url, { method: 'HEAD' });
    expect(fetch).toMatchObject({ status: 200, body: null });
    expect(provider).toEqual(fetch);
  });

  it('HEAD then GET on the same connection both work', async () => {
    const url = await httpServer((req, res) => {
      res.writeHead(200, { 'content-length': '4' });
      res.end(req.method === 'HEAD' ? undefined : 'full');
    });
    for (const send of [fetch, providerFetch]) {
      expect((await observe(send, url, { method: 'HEAD' })).body).toBeNull();
      expect((await observe(send, url)).body).toBe('full');
    }
  });
});

describe('headers', () => {
  it('duplicate and multi-value headers: set-cookie kept apart, the others joined with ", "', async () => {
    const url = await fixedAnswer(
      'HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Path=/\r\nset-cookie: b=2, c=3\r\nx-twice: one\r\nX-Twice: two\r\ncontent-type: text/plain\r\nContent-Type: text/html\r\nx-empty:\r\ncontent-length: 2\r\n\r\nhi',
    );
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.setCookie).toEqual(['a=1; Path=/', 'b=2, c=3']);
    expect(fetch.headers).toContainEqual(['x-twice', 'one, two']);
    expect(provider).toEqual(fetch);
  });

  it('header names that are also names on Object.prototype (constructor, __proto__, toString) are plain headers', async () => {
    const url = await fixedAnswer('HTTP/1.1 200 OK\r\nconstructor: c\r\n__proto__: p\r\ntoString: t\r\nhasOwnProperty: h\r\nconstructor: d\r\ncontent-length: 2\r\n\r\nhi');
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.headers).toContainEqual(['constructor', 'c, d']);
    expect(provider).toEqual(fetch);
  });

  it('header bytes beyond ASCII are read as latin1 by both (a UTF-8 value included)', async () => {
    const head = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nx-latin: caf\xe9\r\nx-utf8: ', 'latin1'), Buffer.from('错误 é', 'utf8'), Buffer.from('\r\ncontent-length: 2\r\n\r\nhi')]);
    const url = await fixedAnswer(head);
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.headers).toContainEqual(['x-latin', 'café']);
    expect(provider).toEqual(fetch);
  });

  it('different by design: a header value keeps trailing spaces through fetch, not through providerFetch (the Headers class trims them); the coding is read alike', async () => {
    const url = await fixedAnswer('HTTP/1.1 200 OK\r\nx-padded: value  \r\ncontent-encoding: identity \r\ncontent-length: 2\r\n\r\nhi');
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.headers).toContainEqual(['x-padded', 'value  ']);
    expect(provider.headers).toContainEqual(['x-padded', 'value']);
    expect({ ...provider, headers: [] }).toEqual({ ...fetch, headers: [] });
  });

  it("different by design: response.url and type are fetch's own (nothing reads them)", async () => {
    const url = await httpServer((_req, res) => res.end('ok'));
    const [viaFetch, viaProvider] = [await fetch(url, { redirect: 'manual' }), await providerFetch(url, { redirect: 'manual' })];
    expect([viaFetch.url, viaFetch.type, viaFetch.redirected]).toEqual([`${url}/`, 'basic', false]);
    expect([viaProvider.url, viaProvider.type, viaProvider.redirected]).toEqual(['', 'default', false]);
    await Promise.all([viaFetch.text(), viaProvider.text()]);
  });

  it('response headers over 16 KB: both refuse the answer the same way', async () => {
    const url = await httpServer((_req, res) => {
      res.writeHead(200, { 'x-big': 'a'.repeat(20_000) });
      res.end('ok');
    });
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.rejected).toMatchObject({ type: 'TypeError', message: 'fetch failed', cause: { code: 'UND_ERR_HEADERS_OVERFLOW' } });
    expect(provider).toEqual(fetch);
  });

  it('response headers just under 16 KB are taken by both', async () => {
    const url = await httpServer((_req, res) => {
      res.writeHead(200, { 'x-big': 'a'.repeat(15_000) });
      res.end('ok');
    });
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.status).toBe(200);
    expect(provider).toEqual(fetch);
  });
});

describe('bodies and how they break off', () => {
  it('a chunked body written in pieces over time', async () => {
    const url = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      setTimeout(() => {
        res.write('data: 2\n\n');
        res.end('data: [DONE]\n\n');
      }, 20);
    });
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.body).toBe('data: 1\n\ndata: 2\n\ndata: [DONE]\n\n');
    expect(provider).toEqual(fetch);
  });

  it('a body of binary bytes of every value comes through unchanged', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 * 64 }, (_, index) => index % 256));
    const url = await httpServer((_req, res) => res.end(bytes));
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.body).toBe(bytes.toString('latin1'));
    expect(provider).toEqual(fetch);
  });

  it('a large body (8 MB, chunked) read slowly comes through whole', async () => {
    const piece = Buffer.alloc(1 << 16, 'z');
    const url = await httpServer((_req, res) => {
      let sent = 0;
      const write = (): void => {
        while (sent < 128) {
          sent += 1;
          if (!res.write(piece)) return void res.once('drain', write);
        }
        res.end();
      };
      write();
    });
    const slowly = () => ({ onChunk: (bytes: number) => void (bytes % (1 << 20) < 1 << 16 && Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)) });
    const { fetch, provider } = await observeBoth(url, {}, slowly);
    expect(fetch.body?.length).toBe(8 << 20);
    expect(provider).toEqual(fetch);
  });

  it('chunked with trailers, an HTTP/1.0 answer read to the close, and both content-length and chunked', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntrailer: x-sum\r\n\r\n5\r\nhello\r\n0\r\nx-sum: 5\r\n\r\n',
      'HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nold server',
      'HTTP/1.1 200 OK\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nx-bad: a\u0000b\r\ncontent-length: 2\r\n\r\nhi',
      'HTTP/1.1 200 OK\r\nx-folded: a\r\n  b\r\ncontent-length: 2\r\n\r\nhi',
    ];
    for (const answer of answers) {
      const url = await fixedAnswer(answer);
      const { fetch, provider } = await observeBoth(url);
      expect(provider).toEqual(fetch);
    }
  });

  it('a clone reads the same body as the original; json(), bodyUsed and a second read behave alike', async () => {
    const url = await httpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"m"}]}'));
    const seen: unknown[] = [];
    for (const send of [fetch, providerFetch]) {
      const response = await send(url, { redirect: 'manual' });
      const copy = response.clone();
      const [json, text] = await Promise.all([response.json(), copy.text()]);
      const again = await response.text().then(
        () => 'read twice',
        (error: unknown) => `${(error as Error).name}: ${(error as Error).message}`,
      );
      seen.push({ json, text, bodyUsed: response.bodyUsed, again });
    }
    expect(seen[0]).toMatchObject({ json: { data: [{ id: 'm' }] }, bodyUsed: true });
    expect(seen[1]).toEqual(seen[0]);
  });

  it('content-length longer than the body, then the server closes: the stream errors with "terminated"', async () => {
    const url = await fixedAnswer('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nshort');
    const { fetch, provider } = await observeBoth(url);
    expect(fetch).toMatchObject({ body: 'short', bodyError: { type: 'TypeError', message: 'terminated', cause: { code: 'UND_ERR_SOCKET' } }, problem: { kind: 'connection' } });
    expect(provider).toEqual(fetch);
  });

  it('content-length and no body at all before the close', async () => {
    const url = await fixedAnswer('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n');
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.bodyError).toMatchObject({ message: 'terminated' });
    expect(provider).toEqual(fetch);
  });

  it('no content-length, connection: close: the body is what came before the close', async () => {
    const url = await fixedAnswer('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil the close');
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.body).toBe('until the close');
    expect(provider).toEqual(fetch);
  });

  it('the socket destroyed in the middle of a chunked body', async () => {
    const url = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n');
      setTimeout(() => socket.destroy(), 20);
    });
    const { fetch, provider } = await observeBoth(url);
    expect(fetch).toMatchObject({ body: 'hello', bodyError: { message: 'terminated' }, problem: { kind: 'connection' } });
    expect(provider).toEqual(fetch);
  });

  it('the socket reset (RST) in the middle of a chunked body', async () => {
    const url = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n');
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.bodyError).toMatchObject({ message: 'terminated' });
    expect(provider).toEqual(fetch);
  });

  it('a malformed chunk size', async () => {
    const url = await fixedAnswer('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n');
    const { fetch, provider } = await observeBoth(url);
    expect(provider).toEqual(fetch);
  });

  it('two 103 Early Hints before a 404', async () => {
    const url = await fixedAnswer('HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </b>\r\n\r\nHTTP/1.1 404 Not Found\r\ncontent-length: 4\r\n\r\nnope');
    const { fetch, provider } = await observeBoth(url);
    expect(fetch).toMatchObject({ status: 404, body: 'nope' });
    expect(provider).toEqual(fetch);
  });

  it('the connection closed before any answer, and an answer that is not HTTP', async () => {
    const closed = await rawServer((socket) => socket.destroy());
    const garbage = await fixedAnswer('SSH-2.0-OpenSSH_9.6\r\n\r\n');
    for (const url of [closed, garbage]) {
      const { fetch, provider } = await observeBoth(url);
      expect(fetch.rejected).toMatchObject({ type: 'TypeError', message: 'fetch failed' });
      expect(provider).toEqual(fetch);
    }
  });
});

describe('connecting', () => {
  it('connection refused: the same TypeError, cause and ProviderError', async () => {
    // A port that was just free: listen, note it, close.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const { fetch, provider } = await observeBoth(`http://127.0.0.1:${port}/v1/models`);
    expect(fetch).toMatchObject({ rejected: { type: 'TypeError', message: 'fetch failed', cause: { code: 'ECONNREFUSED' } }, problem: { kind: 'connection' } });
    expect(provider).toEqual(fetch);
  });

  it('an unresolvable host (.invalid)', async () => {
    const { fetch, provider } = await observeBoth('http://no-such-model-server.invalid/v1/models');
    expect(fetch).toMatchObject({ rejected: { message: 'fetch failed', cause: { code: 'ENOTFOUND' } }, problem: { kind: 'connection' } });
    expect(provider).toEqual(fetch);
  });
});
