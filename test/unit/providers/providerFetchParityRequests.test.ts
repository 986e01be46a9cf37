import type { IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { providerFetch } from '../../../src-main/providers/providerFetch.ts';
import { httpServer, nodeFetch, observeBoth, rawServer } from '../../support/fetchParity.ts';

// What the server receives from providerFetch and from Node's fetch: the method, the path, the
// headers (a Headers object, an array of pairs, a record) and the body bytes with their type; and
// the requests providerFetch leaves to fetch (a redirect to follow, another scheme, a form).

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A server that answers each request with what it received (accept-encoding aside: it differs by design), and keeps a list of them. */
async function echoServer(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const url = await httpServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { 'accept-encoding': _encoding, ...rest } = req.headers;
      // In name order: the order headers are sent in is not what is compared.
      const headers = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
      received.push({ method: req.method, url: req.url, headers, body: Buffer.concat(chunks).toString('latin1') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(received.at(-1)));
    });
  });
  return { url, received };
}

/** The same request through both; what the server received from each. */
async function receivedBoth(path: string, init: RequestInit): Promise<{ fetch: Received | undefined; provider: Received | undefined; viaFetch: Awaited<ReturnType<typeof observeBoth>> }> {
  const server = await echoServer();
  const seen = await observeBoth(`${server.url}${path}`, init);
  expect(seen.provider).toEqual(seen.fetch);
  return { fetch: server.received[0], provider: server.received[1], viaFetch: seen };
}

describe('request bodies', () => {
  it('a string body: the same UTF-8 bytes, labelled text/plain;charset=UTF-8 when the caller gives no type, with its length', async () => {
    const { fetch, provider } = await receivedBoth('/v1/chat', { method: 'POST', body: 'héllo 世界' });
    expect(fetch).toMatchObject({ method: 'POST', body: Buffer.from('héllo 世界').toString('latin1'), headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': '13' } });
    expect(provider).toEqual(fetch);
  });

  it('a string body with the caller\'s content-type (any case) keeps it', async () => {
    const { fetch, provider } = await receivedBoth('/v1/chat', { method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } });
    expect(fetch?.headers['content-type']).toBe('application/json');
    expect(provider).toEqual(fetch);
  });

  it('a Uint8Array body (a view into a larger buffer): its bytes only, and no content-type', async () => {
    const bytes = new Uint8Array([9, 0, 1, 2, 255, 128, 9]).subarray(1, 6);
    const { fetch, provider } = await receivedBoth('/upload', { method: 'PUT', body: bytes });
    expect(fetch).toMatchObject({ body: Buffer.from([0, 1, 2, 255, 128]).toString('latin1'), headers: { 'content-length': '5' } });
    expect(fetch?.headers['content-type']).toBeUndefined();
    expect(provider).toEqual(fetch);
  });

  it('an empty string body, and a POST without a body, both with content-length 0', async () => {
    for (const init of [{ method: 'POST', body: '' }, { method: 'POST' }, { method: 'PUT' }, { method: 'DELETE' }, { method: 'PATCH' }, { method: 'OPTIONS' }]) {
      const { fetch, provider } = await receivedBoth('/', init);
      expect(provider).toEqual(fetch);
    }
  });

  it('a GET or HEAD with a body is refused as fetch refuses it', async () => {
    for (const method of ['GET', 'HEAD']) {
      const server = await echoServer();
      const { fetch, provider } = await observeBoth(server.url, { method, body: 'x' });
      expect(fetch.rejected).toMatchObject({ type: 'TypeError', message: 'Request with GET/HEAD method cannot have body.' });
      expect(provider).toEqual(fetch);
      expect(server.received).toEqual([]);
    }
  });
});

describe('request headers', () => {
  it('from a Headers object, an array of pairs and a record: the server receives the same values', async () => {
    const forms: RequestInit['headers'][] = [
      new Headers({ Authorization: 'Bearer sk-1', 'X-Title': ' Service Creator ', 'x-list': 'a' }),
      [
        ['Authorization', 'Bearer sk-1'],
        ['x-list', 'a'],
        ['X-List', 'b'],
        ['x-title', 'Service Creator'],
      ],
      { Authorization: 'Bearer sk-1', 'x-title': 'Service Creator', 'x-latin': 'café' },
    ];
    for (const headers of forms) {
      const { fetch, provider } = await receivedBoth('/v1/models', { headers });
      expect(fetch?.headers.authorization).toBe('Bearer sk-1');
      expect(provider).toEqual(fetch);
    }
  });

  it('header values with spaces or tabs around them reach the wire trimmed, as fetch sends them', async () => {
    const lines: string[][] = [];
    const url = await rawServer((socket, head) => {
      lines.push(head.split('\r\n').filter((line) => /^x-/i.test(line)).map((line) => line.toLowerCase()));
      socket.end('HTTP/1.1 204 No Content\r\n\r\n');
    });
    const headers = { 'X-Pad': '  value  ', 'x-tab': '\tvalue\t', 'x-inner': 'a  b', 'x-empty': '' };
    const { fetch, provider } = await observeBoth(url, { headers });
    expect(provider).toEqual(fetch);
    expect(lines[0]).toContain('x-pad: value');
    expect(lines[1]).toEqual(lines[0]);
  });

  it('what fetch adds when the caller does not say (accept, accept-language, sec-fetch-mode, user-agent) is added alike', async () => {
    const { fetch, provider } = await receivedBoth('/', {});
    expect(fetch?.headers).toMatchObject({ accept: '*/*', 'accept-language': '*', 'sec-fetch-mode': 'cors', 'user-agent': 'node' });
    expect(provider).toEqual(fetch);
  });

  it("the caller's accept, accept-language and user-agent win; a host and a sec-fetch-mode of the caller's are not sent", async () => {
    const headers = { Accept: 'application/json', 'Accept-Language': 'fr', 'User-Agent': 'OpenAI/JS 5', Host: 'elsewhere.example', 'Sec-Fetch-Mode': 'navigate' };
    const { fetch, provider } = await receivedBoth('/', { headers });
    expect(fetch?.headers).toMatchObject({ accept: 'application/json', 'accept-language': 'fr', 'user-agent': 'OpenAI/JS 5', 'sec-fetch-mode': 'cors' });
    expect(fetch?.headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(provider).toEqual(fetch);
  });

  it('a header value with a line break, a bad name, or a character beyond latin1 is refused in the same words', async () => {
    for (const headers of [{ 'x-a': 'one\ntwo' }, { 'x a': 'b' }, { 'x-a': '世界' }]) {
      const server = await echoServer();
      const { fetch, provider } = await observeBoth(server.url, { headers });
      expect(fetch.rejected).toMatchObject({ type: 'TypeError' });
      expect(provider).toEqual(fetch);
      expect(server.received).toEqual([]);
    }
  });
});

describe('methods and URLs', () => {
  it('a method in lower case is sent as fetch normalizes it (post, get, put, delete, options, head)', async () => {
    for (const method of ['post', 'get', 'put', 'delete', 'options', 'Post']) {
      const { fetch, provider } = await receivedBoth('/', { method });
      expect(fetch?.method).toBe(method.toUpperCase());
      expect(provider).toEqual(fetch);
    }
  });

  it('a method fetch refuses (CONNECT, TRACE, not a token) is refused alike', async () => {
    for (const method of ['CONNECT', 'TRACE', 'bad method']) {
      const server = await echoServer();
      const { fetch, provider } = await observeBoth(server.url, { method });
      expect(fetch.rejected).toMatchObject({ type: 'TypeError' });
      expect(provider).toEqual(fetch);
    }
  });

  it('the path and query as given; a fragment is not sent; an empty query keeps its "?"', async () => {
    for (const path of ['/v1/chat/completions?api-version=2024-10-21', '/a%20b/c?x=1&y=%2F', '/p?q=1#fragment', '/p?', '/p?#f', '/models/m@v1']) {
      const { fetch, provider } = await receivedBoth(path, {});
      expect(provider).toEqual(fetch);
    }
  });

  it('a URL with credentials is refused as fetch refuses it, and nothing is sent', async () => {
    const server = await echoServer();
    const url = server.url.replace('http://', 'http://user:secret@');
    const { fetch, provider } = await observeBoth(url);
    expect(fetch.rejected).toMatchObject({ type: 'TypeError', message: expect.stringMatching(/credentials/) });
    expect(provider).toEqual(fetch);
    expect(server.received).toEqual([]);
  });

  it('a URL that does not parse rejects (never throws) with fetch\'s TypeError', async () => {
    for (const url of ['http://', 'http://a b/', 'http://[::1']) {
      let thrown: unknown;
      let settled: Promise<unknown> | undefined;
      try {
        settled = providerFetch(url, { redirect: 'manual' }).catch(() => undefined);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeUndefined();
      await settled;
      const { fetch, provider } = await observeBoth(url);
      expect(fetch.rejected).toMatchObject({ type: 'TypeError', message: `Failed to parse URL from ${url}` });
      expect(provider).toEqual(fetch);
    }
  });

  it('a URL object is sent as its string', async () => {
    const server = await echoServer();
    const { fetch, provider } = await observeBoth(new URL(`${server.url}/v1/models?x=1`));
    expect(provider).toEqual(fetch);
    expect(server.received[1]).toEqual(server.received[0]);
  });
});

describe('what providerFetch hands to fetch', () => {
  async function countedFetch<T>(run: () => Promise<T>): Promise<{ result: T; calls: number }> {
    const spy = vi.spyOn(globalThis, 'fetch');
    try {
      const result = await run();
      return { result, calls: spy.mock.calls.length };
    } finally {
      spy.mockRestore();
    }
  }

  it("a redirect to follow (redirect left as 'follow'): fetch follows it, for both", async () => {
    const server = await echoServer();
    const url = await httpServer((_req, res) => {
      res.writeHead(307, { location: `${server.url}/landed` });
      res.end();
    });
    const viaFetch = await (await nodeFetch(url)).json();
    const { result, calls } = await countedFetch(async () => (await providerFetch(url)).json());
    expect(calls).toBe(1);
    expect(result).toEqual(viaFetch);
    expect((result as Received).url).toBe('/landed');
  });

  it('a FormData body: the same multipart request, through fetch', async () => {
    const form = (): FormData => {
      const data = new FormData();
      data.set('model', 'whisper-1');
      data.set('file', new Blob(['RIFF....']), 'a.wav');
      return data;
    };
    const server = await echoServer();
    await nodeFetch(server.url, { method: 'POST', body: form(), redirect: 'manual' });
    const { calls } = await countedFetch(() => providerFetch(server.url, { method: 'POST', body: form(), redirect: 'manual' }));
    expect(calls).toBe(1);
    const [viaFetch, viaProvider] = server.received;
    expect(viaProvider?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const boundary = (received: Received | undefined): string => String(received?.headers['content-type']).split('boundary=')[1]!;
    expect(viaProvider?.body.replaceAll(boundary(viaProvider), 'B')).toBe(viaFetch?.body.replaceAll(boundary(viaFetch), 'B'));
  });

  it('a non-http URL (data:, file:) goes to fetch and comes back as fetch answers it', async () => {
    for (const url of ['data:text/plain,hello', 'file:///etc/hostname']) {
      const { fetch, provider } = await observeBoth(url);
      expect(provider).toEqual(fetch);
    }
    const { calls } = await countedFetch(() => providerFetch('data:text/plain,hi', { redirect: 'manual' }));
    expect(calls).toBe(1);
  });

  it('options that change what fetch sends or checks (cache, referrer, mode, integrity) go to fetch: the server gets, or the caller sees, the same', async () => {
    const inits: RequestInit[] = [
      { cache: 'no-store' },
      { cache: 'reload' },
      { cache: 'no-cache' },
      { cache: 'only-if-cached' },
      { referrer: 'http://example.com/page' },
      { referrerPolicy: 'unsafe-url', referrer: 'http://example.com/page' },
      { mode: 'same-origin' },
      { mode: 'no-cors', method: 'PUT' },
      { integrity: 'sha256-abc' },
    ];
    for (const init of inits) {
      const server = await echoServer();
      const { fetch, provider } = await observeBoth(server.url, init);
      expect(provider).toEqual(fetch);
      expect(server.received[1]).toEqual(server.received[0]);
    }
  });

  it('a plain http request with redirect: manual does not touch fetch', async () => {
    const server = await echoServer();
    const { calls } = await countedFetch(async () => (await providerFetch(server.url, { method: 'POST', body: '{}', redirect: 'manual' })).text());
    expect(calls).toBe(0);
  });
});

describe('ports (different by design)', () => {
  it("a port on fetch's browser blocklist (6000) is reached by providerFetch; fetch refuses it as a bad port", async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end('reached'));
    const listened = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(6000, '127.0.0.1', () => resolve(true));
    });
    if (!listened) return; // the port is taken on this machine
    try {
      const { fetch, provider } = await observeBoth('http://127.0.0.1:6000/');
      expect(fetch.rejected).toMatchObject({ message: 'fetch failed', cause: { message: 'bad port' } });
      expect(provider).toMatchObject({ status: 200, body: 'reached' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
