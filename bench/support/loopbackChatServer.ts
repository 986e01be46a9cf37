/**
 * A loopback OpenAI-compatible server for the benches, in a worker thread (its own event loop, so
 * it never queues behind the client's): every chat request gets one precomputed SSE body at once
 * (3 content chunks, the last with finish_reason, a usage chunk, `[DONE]`); GET /v1/models lists
 * the one model. `startLoopbackChatServer` starts it; this same file is the worker's entry.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

export const model = 'bench-model';
const pieces = ['Hello', ' from the', ' bench.'];
export const expectedText = pieces.join('');


function sseBody(): Buffer {
  const created = 1_700_000_000;
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], usage: null })}\n\n`;
  const frames = [
    chunk({ role: 'assistant', content: pieces[0] }, null),
    chunk({ content: pieces[1] }, null),
    chunk({ content: pieces[2] }, 'stop'),
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model, choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } })}\n\n`,
    'data: [DONE]\n\n',
  ];
  return Buffer.from(frames.join(''), 'utf8');
}

function runServer(): void {
  const body = sseBody();
  const models = Buffer.from(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', created: 0, owned_by: 'bench' }] }));
  const server = createServer((req, res) => {
    const isChat = req.method === 'POST' && req.url === '/v1/chat/completions';
    // Drain the request body, then answer at once.
    req.resume();
    req.on('end', () => {
      if (isChat) {
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'content-length': body.length });
        res.end(body);
      } else if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': models.length });
        res.end(models);
      } else {
        res.writeHead(404).end();
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => parentPort?.postMessage({ port: (server.address() as AddressInfo).port }));
  parentPort?.on('message', (message: unknown) => {
    if (message === 'close') {
      server.closeAllConnections();
      server.close();
      parentPort?.close();
    }
  });
}

/** Starts the server in a worker thread; `baseURL` ends in /v1. */
export async function startLoopbackChatServer(): Promise<{ baseURL: string; close(): Promise<void> }> {
  const worker = new Worker(new URL(import.meta.url));
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (message: { port: number }) => resolve(message.port));
    worker.once('error', reject);
  });
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    async close() {
      worker.postMessage('close');
      await worker.terminate();
    },
  };
}

if (!isMainThread) runServer();
