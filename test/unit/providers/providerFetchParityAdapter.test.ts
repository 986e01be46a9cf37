import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createOpenAiProvider } from '../../../src-main/providers/openaiProvider.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { providerFetch } from '../../../src-main/providers/providerFetch.ts';
import type { ChatChunk } from '../../../src-main/modelCall/modelCallTypes.ts';
import { fixedAnswer, httpServer, nodeFetch, rawServer } from '../../support/fetchParity.ts';
import type { HttpFetch } from '../../support/fetchParity.ts';

// The OpenAI adapter (the SDK, checkedFetch and the caller's signal on top) run once over Node's
// fetch and once over providerFetch against the same server: the same chunks, or the same
// ProviderError kind and message.

const ask = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
const chunk = (content: string | null, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;
const usage = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } })}\n\n`;
const stream = chunk('Hel') + chunk('lo') + chunk(null, 'stop') + usage + 'data: [DONE]\n\n';

interface Outcome {
  chunks: ChatChunk[];
  error?: { kind: string; message: string; status: number | undefined };
}

async function chatWith(send: HttpFetch, url: string, signal: AbortSignal = AbortSignal.timeout(10_000), onChunk?: (chunk: ChatChunk) => void): Promise<Outcome> {
  const provider = createOpenAiProvider({ id: 'oai', baseUrl: `${url}/v1`, apiKey: 'sk-test', models: ['m'], fetch: send });
  const chunks: ChatChunk[] = [];
  try {
    for await (const item of provider.chat(ask, signal)) {
      chunks.push(item);
      onChunk?.(item);
    }
    return { chunks };
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    const failure = error as ProviderError;
    return { chunks, error: { kind: failure.kind, message: failure.message, status: failure.status } };
  }
}

async function chatBoth(url: string): Promise<{ fetch: Outcome; provider: Outcome }> {
  return { fetch: await chatWith(nodeFetch, url), provider: await chatWith(providerFetch, url) };
}

const sse =
  (body: string, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream', ...headers });
    res.end(body);
  };

describe('the OpenAI adapter over fetch and over providerFetch', () => {
  it('a streamed answer: the same chunks', async () => {
    const { fetch, provider } = await chatBoth(await httpServer(sse(stream)));
    expect(fetch.chunks).toEqual([
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo' },
      { type: 'usage', inputTokens: 3, outputTokens: 2 },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(provider).toEqual(fetch);
  });

  it('a streamed answer sent gzip (a server that compresses unasked): the same chunks', async () => {
    const { fetch, provider } = await chatBoth(await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      res.end(gzipSync(stream));
    }));
    expect(fetch.chunks).toHaveLength(4);
    expect(provider).toEqual(fetch);
  });

  it('a stream sent in pieces, split inside an event', async () => {
    const { fetch, provider } = await chatBoth(await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const pieces = stream.match(/[\s\S]{1,7}/g) ?? [];
      let index = 0;
      const timer = setInterval(() => {
        if (index === pieces.length) {
          clearInterval(timer);
          return void res.end();
        }
        res.write(pieces[index++]);
      }, 1);
    }));
    expect(fetch.chunks).toHaveLength(4);
    expect(provider).toEqual(fetch);
  });

  const failures: [string, () => Promise<string>][] = [
    ['a 500 with a JSON error', () => httpServer((_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"the model crashed","type":"server_error"}}'))],
    ['a 401', () => httpServer((_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}'))],
    ['a 429 with Retry-After', () => httpServer((_req, res) => res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end('{"error":{"message":"slow down"}}'))],
    ['a 404 web page', () => httpServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not here</body></html>'))],
    ['a 200 web page (a proxy)', () => httpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Login</title>'))],
    ['a 307 to another host', () => httpServer((_req, res) => res.writeHead(307, { location: 'https://elsewhere.example/v1/chat/completions?key=secret' }).end())],
    ['a 999 with a JSON error', () => fixedAnswer('HTTP/1.1 999 Odd\r\ncontent-type: application/json\r\ncontent-length: 27\r\n\r\n{"error":{"message":"odd"}}')],
    ['a stream that breaks off (content-length longer than the body)', () => fixedAnswer(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 10000\r\n\r\n${chunk('Hel')}`)],
    ['a stream whose socket is destroyed mid-way', () => rawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${Buffer.byteLength(chunk('Hel')).toString(16)}\r\n${chunk('Hel')}\r\n`);
      setTimeout(() => socket.destroy(), 20);
    })],
    ['a stream that ends without a finish_reason', () => httpServer(sse(chunk('Hel') + 'data: [DONE]\n\n'))],
    ['a corrupt gzip stream', () => httpServer(sse('not gzip at all', { 'content-encoding': 'gzip' }))],
    ['an in-stream error event', () => httpServer(sse(`${chunk('Hel')}data: {"error":{"message":"overloaded","type":"server_error"}}\n\n`))],
    ['response headers over 16 KB', () => httpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/event-stream', 'x-big': 'a'.repeat(20_000) }).end(stream))],
    ['an answer that is not HTTP', () => fixedAnswer('SSH-2.0-OpenSSH_9.6\r\n\r\n')],
    ['the connection closed before any answer', () => rawServer((socket) => socket.destroy())],
    ['an unresolvable host', () => Promise.resolve('http://no-such-model-server.invalid')],
    [
      'connection refused',
      async () => {
        const probe = createServer();
        await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
        const { port } = probe.address() as AddressInfo;
        await new Promise((resolve) => probe.close(resolve));
        return `http://127.0.0.1:${port}`;
      },
    ],
  ];
  it('a status beyond 599 (999) is a server error with its status on both, not "cannot reach the server"', async () => {
    const { fetch, provider } = await chatBoth(await fixedAnswer('HTTP/1.1 999 Odd\r\ncontent-type: application/json\r\ncontent-length: 27\r\n\r\n{"error":{"message":"odd"}}'));
    expect(fetch.error).toMatchObject({ kind: 'server', status: 999, message: expect.stringMatching(/odd/) });
    expect(provider).toEqual(fetch);
  });

  for (const [name, server] of failures) {
    it(`${name}: the same ProviderError`, async () => {
      const { fetch, provider } = await chatBoth(await server());
      expect(fetch.error).toBeDefined();
      expect(provider).toEqual(fetch);
    });
  }

  it('the caller aborting before the headers and in the middle of the stream: the same cancelled error', async () => {
    const silent = await rawServer(() => undefined);
    const trickle = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('first'));
      const timer = setInterval(() => res.write(chunk('more')), 10);
      res.on('close', () => clearInterval(timer));
    });
    for (const reason of [undefined, new Error('the user pressed stop')]) {
      const before = async (send: HttpFetch): Promise<Outcome> => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(reason), 30);
        return chatWith(send, silent, controller.signal);
      };
      const midway = async (send: HttpFetch): Promise<Outcome> => {
        const controller = new AbortController();
        let seen = 0;
        return chatWith(send, trickle, controller.signal, () => (seen += 1) === 3 && controller.abort(reason));
      };
      expect(await before(providerFetch)).toEqual(await before(nodeFetch));
      const [viaFetch, viaProvider] = [await midway(nodeFetch), await midway(providerFetch)];
      expect(viaFetch.error?.kind).toBe('cancelled');
      expect(viaProvider).toEqual(viaFetch);
    }
  });

  it('listing models and a health check: the same models, the same failure', async () => {
    const models = await httpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[{"id":"a","object":"model"},{"id":"b","object":"model"}]}'));
    const broken = await fixedAnswer('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"object":"list","data":[');
    for (const url of [models, broken]) {
      const health = await Promise.all(
        [nodeFetch, providerFetch].map((send) => createOpenAiProvider({ id: 'oai', baseUrl: `${url}/v1`, apiKey: 'sk-test', fetch: send }).health(AbortSignal.timeout(10_000))),
      );
      expect(health[1]).toEqual(health[0]);
    }
  });
});
