import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../../src-main/providers/anthropicProvider.ts';
import { createOllamaProvider } from '../../../src-main/providers/ollamaProvider.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { providerFetch } from '../../../src-main/providers/providerFetch.ts';
import type { LlmProvider } from '../../../src-main/providers/LlmProvider.ts';
import type { ChatChunk } from '../../../src-main/modelCall/modelCallTypes.ts';
import { fixedAnswer, httpServer, nodeFetch } from '../../support/fetchParity.ts';
import type { HttpFetch } from '../../support/fetchParity.ts';

// The Anthropic and Ollama adapters over Node's fetch and over providerFetch, against the same
// server: the same chunks, or the same ProviderError kind and message.

const ask = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

interface Outcome {
  chunks: ChatChunk[];
  error?: { kind: string; message: string; status: number | undefined };
}

async function chatWith(provider: LlmProvider, signal: AbortSignal = AbortSignal.timeout(10_000), onChunk?: () => void): Promise<Outcome> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const item of provider.chat(ask, signal)) {
      chunks.push(item);
      onChunk?.();
    }
    return { chunks };
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    const failure = error as ProviderError;
    return { chunks, error: { kind: failure.kind, message: failure.message, status: failure.status } };
  }
}

const event = (value: Record<string, unknown>): string => `event: ${String(value.type)}\ndata: ${JSON.stringify(value)}\n\n`;
const anthropicEvents = [
  event({ type: 'message_start', message: { id: 'msg', type: 'message', role: 'assistant', content: [], model: 'm', usage: { input_tokens: 4, output_tokens: 0 } } }),
  event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }),
  event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } }),
  event({ type: 'content_block_stop', index: 0 }),
  event({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } }),
  event({ type: 'message_stop' }),
];
const anthropicStream = anthropicEvents.join('');
const ollamaLines = [
  { model: 'm', message: { role: 'assistant', content: 'Hel' }, done: false },
  { model: 'm', message: { role: 'assistant', content: 'lo' }, done: false },
  { model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 4, eval_count: 2 },
].map((line) => `${JSON.stringify(line)}\n`);
const ollamaStream = ollamaLines.join('');

/** Name, the adapter over a fetch, its stream's type, a whole stream, and the start of one that carries the first text. */
const adapters: [string, (url: string, send: HttpFetch) => LlmProvider, string, string, string][] = [
  ['Anthropic', (url, send) => createAnthropicProvider({ id: 'ant', baseUrl: url, apiKey: 'sk-ant-test', models: ['m'], fetch: send }), 'text/event-stream', anthropicStream, anthropicEvents.slice(0, 3).join('')],
  ['Ollama', (url, send) => createOllamaProvider({ id: 'oll', baseUrl: url, fetch: send }), 'application/x-ndjson', ollamaStream, ollamaLines[0]!],
];

for (const [name, adapter, type, body, first] of adapters) {
  describe(`the ${name} adapter over fetch and over providerFetch`, () => {
    const both = async (url: string): Promise<{ fetch: Outcome; provider: Outcome }> => ({
      fetch: await chatWith(adapter(url, nodeFetch)),
      provider: await chatWith(adapter(url, providerFetch)),
    });
    const answer =
      (status: number, text: string | Buffer, headers: Record<string, string> = {}) =>
      (_req: IncomingMessage, res: ServerResponse): void => {
        res.writeHead(status, { 'content-type': type, ...headers });
        res.end(text);
      };

    it('a streamed answer, plain and gzip: the same chunks', async () => {
      for (const url of [await httpServer(answer(200, body)), await httpServer(answer(200, gzipSync(body), { 'content-encoding': 'gzip' }))]) {
        const { fetch, provider } = await both(url);
        expect(fetch.chunks.filter((chunk) => chunk.type === 'text')).toEqual([
          { type: 'text', text: 'Hel' },
          { type: 'text', text: 'lo' },
        ]);
        expect(provider).toEqual(fetch);
      }
    });

    const failures: [string, () => Promise<string>][] = [
      ['a 500 with a JSON error', () => httpServer((_req, res) => res.writeHead(500, { 'content-type': 'application/json' }).end('{"type":"error","error":{"type":"api_error","message":"the model crashed"}}'))],
      ['a 429 with Retry-After', () => httpServer((_req, res) => res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end('{"error":"slow down"}'))],
      ['a 502 web page', () => httpServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad gateway</body></html>'))],
      ['a 308 elsewhere', () => httpServer((_req, res) => res.writeHead(308, { location: 'https://elsewhere.example/' }).end())],
      ['a stream that breaks off', () => fixedAnswer(`HTTP/1.1 200 OK\r\ncontent-type: ${type}\r\ncontent-length: 100000\r\n\r\n${body.slice(0, body.length >> 1)}`)],
      ['a corrupt gzip stream', () => httpServer(answer(200, 'not gzip', { 'content-encoding': 'gzip' }))],
      ['an unresolvable host', () => Promise.resolve('http://no-such-model-server.invalid')],
    ];
    for (const [what, server] of failures) {
      it(`${what}: the same ProviderError`, async () => {
        const { fetch, provider } = await both(await server());
        expect(fetch.error).toBeDefined();
        expect(provider).toEqual(fetch);
      });
    }

    it('the caller aborting in the middle of the stream: the same cancelled error', async () => {
      const url = await httpServer((_req, res) => {
        res.writeHead(200, { 'content-type': type });
        res.write(first);
        const timer = setInterval(() => res.write(type === 'text/event-stream' ? ': ping\n\n' : ''), 10);
        res.on('close', () => clearInterval(timer));
      });
      const midway = async (send: HttpFetch): Promise<Outcome> => {
        const controller = new AbortController();
        return chatWith(adapter(url, send), AbortSignal.any([controller.signal, AbortSignal.timeout(5_000)]), () => controller.abort());
      };
      const viaFetch = await midway(nodeFetch);
      expect(viaFetch.error?.kind).toBe('cancelled');
      expect(await midway(providerFetch)).toEqual(viaFetch);
    });
  });
}
