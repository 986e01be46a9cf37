import { describe, expect, it } from 'vitest';
import { providerFetch } from '../../../src-main/providers/providerFetch.ts';
import { httpServer, nodeFetch, observe, observeBoth, rawServer } from '../../support/fetchParity.ts';
import type { HttpFetch, ObserveOptions } from '../../support/fetchParity.ts';

// Cancelling through the signal, and what becomes of connections, through providerFetch and
// Node's fetch: the same rejection or body error (the signal's reason), and a connection that
// comes back for the next requests.

/** A server that sends headers and a first piece, then a piece every 10 ms until the client goes. */
function trickling(): Promise<string> {
  return httpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: first\n\n');
    const timer = setInterval(() => res.write('data: more\n\n'), 10);
    res.on('close', () => clearInterval(timer));
  });
}

/** A server that never answers. */
function silent(): Promise<string> {
  return rawServer(() => undefined);
}

/** Both sides with a fresh controller each, aborted by `when`. */
async function abortedBoth(url: string, when: (controller: AbortController) => ObserveOptions & { beforeSend?: () => void }): Promise<{ fetch: unknown; provider: unknown }> {
  const run = async (send: HttpFetch): Promise<unknown> => {
    const controller = new AbortController();
    const options = when(controller);
    options.beforeSend?.();
    return observe(send, url, { signal: controller.signal }, options);
  };
  return { fetch: await run(nodeFetch), provider: await run(providerFetch) };
}

describe('aborting', () => {
  const reasons: [string, () => unknown][] = [
    ['no reason (an AbortError)', () => undefined],
    ['a custom Error', () => new Error('the caller gave up')],
    ['a TimeoutError', () => new DOMException('too slow', 'TimeoutError')],
    ['a string', () => 'stop'],
    ['null (a falsy reason)', () => null],
  ];

  for (const [name, reason] of reasons) {
    it(`before the headers, with ${name}: rejects with the same thing, and toProviderError agrees`, async () => {
      const url = await silent();
      const both = await abortedBoth(url, (controller) => ({ beforeSend: () => setTimeout(() => controller.abort(reason()), 30) }));
      expect(both.provider).toEqual(both.fetch);
    });

    it(`in the middle of the body, with ${name}: the stream errors with the same thing`, async () => {
      const url = await trickling();
      const both = await abortedBoth(url, (controller) => ({ onChunk: (bytes) => bytes > 30 && controller.abort(reason()) }));
      expect(both.fetch).toMatchObject({ status: 200, bodyError: {} });
      expect(both.provider).toEqual(both.fetch);
    });
  }

  it('right after the headers came, before a byte is read: nothing of the body is handed out', async () => {
    const url = await trickling();
    const both = await abortedBoth(url, (controller) => ({ onResponse: () => controller.abort() }));
    expect(both.fetch).toMatchObject({ body: '', bodyError: { name: 'AbortError' } });
    expect(both.provider).toEqual(both.fetch);
  });

  it('after the whole body came but before it is read: the body errors, as fetch', async () => {
    const url = await httpServer((_req, res) => res.end('all of it'));
    const both = await abortedBoth(url, (controller) => ({
      onResponse: () => {
        // Wait until the bytes are surely here, then abort.
        const until = Date.now() + 50;
        while (Date.now() < until);
        controller.abort(new Error('late'));
      },
    }));
    expect(both.provider).toEqual(both.fetch);
  });

  it('an already-aborted signal: rejects at once with its reason, nothing sent', async () => {
    let requests = 0;
    const url = await httpServer((_req, res) => {
      requests += 1;
      res.end();
    });
    for (const signal of [AbortSignal.abort(), AbortSignal.abort(new RangeError('custom'))]) {
      const { fetch, provider } = await observeBoth(url, { signal });
      expect(provider).toEqual(fetch);
    }
    expect(requests).toBe(0);
  });

  it('AbortSignal.timeout before the headers: the same TimeoutError', async () => {
    const url = await silent();
    const viaFetch = await observe(nodeFetch, url, { signal: AbortSignal.timeout(30) });
    const viaProvider = await observe(providerFetch, url, { signal: AbortSignal.timeout(30) });
    expect(viaFetch).toMatchObject({ rejected: { name: 'TimeoutError' }, problem: { kind: 'timeout' } });
    expect(viaProvider).toEqual(viaFetch);
  }, 10_000);

  it('aborting ends the request on the server too (the connection is closed)', async () => {
    const closed: string[] = [];
    const url = await httpServer((req, res) => {
      res.writeHead(200);
      res.write('x');
      res.on('close', () => closed.push(String(req.headers['user-agent'])));
    });
    for (const send of [nodeFetch, providerFetch]) {
      const controller = new AbortController();
      const response = await send(url, { redirect: 'manual', signal: controller.signal });
      controller.abort();
      await response.body?.getReader().read().catch(() => undefined);
    }
    await expect.poll(() => closed.length).toBe(2);
  });
});

describe('connections', () => {
  it('a keep-alive connection the server closes while idle: the next request still works', async () => {
    const url = await httpServer((_req, res) => res.end('ok'));
    // node:http closes idle connections after its keep-alive timeout; make that short.
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => res.end('again'));
    server.keepAliveTimeout = 50;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const idleUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      for (const send of [nodeFetch, providerFetch]) {
        expect((await observe(send, idleUrl)).body).toBe('again');
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect((await observe(send, idleUrl)).body).toBe('again');
      }
      expect((await observe(providerFetch, url)).body).toBe('ok');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a connection the server closes without a word after one answer (no connection: close): the next request still works', async () => {
    let connections = 0;
    const url = await rawServer((socket) => {
      connections += 1;
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      setTimeout(() => socket.destroy(), 20);
    });
    for (const send of [nodeFetch, providerFetch]) {
      expect((await observe(send, url)).body).toBe('ok');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await observe(send, url)).body).toBe('ok');
    }
    expect(connections).toBe(4);
  });

  it('a body never read and then cancelled frees the connection: 50 such requests, then 50 more at once, all answered', async () => {
    const small = `{"n":"${'x'.repeat(10)}"}`;
    const url = await httpServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url === '/big' ? `{"n":"${'x'.repeat(1 << 20)}"}` : small);
    });
    for (const send of [nodeFetch, providerFetch]) {
      for (let index = 0; index < 50; index += 1) {
        const response = await send(`${url}/big`, { redirect: 'manual' });
        await response.body?.cancel();
      }
      const answers = await Promise.all(Array.from({ length: 50 }, async () => (await send(`${url}/small`, { redirect: 'manual' })).text()));
      expect(answers).toEqual(Array.from({ length: 50 }, () => small));
    }
  }, 30_000);

  it('cancelling an unread body closes its connection on the server (it is not left half-read and reused)', async () => {
    const closed: number[] = [];
    let next = 0;
    const url = await httpServer((_req, res) => {
      const id = (next += 1);
      res.on('close', () => closed.push(id));
      res.writeHead(200);
      res.write('x'.repeat(1 << 16));
      const timer = setInterval(() => res.write('more'), 10);
      res.on('close', () => clearInterval(timer));
    });
    for (const send of [nodeFetch, providerFetch]) {
      const response = await send(url, { redirect: 'manual' });
      await response.body?.cancel();
    }
    await expect.poll(() => closed.length).toBe(2);
  });
});
