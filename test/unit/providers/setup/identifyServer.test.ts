// What answers on a loopback port, identified by its own endpoints: fakes of Ollama, llama-server,
// vLLM and an OpenAI-compatible server (test/support/fakes), LM Studio and misbehaving servers as
// small node:http servers here. Every server listens on a free port of 127.0.0.1.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { detectLocalServers } from '../../../../src-main/providers/setup/detectLocalServers.ts';
import { identifyServer, probeLimits } from '../../../../src-main/providers/setup/identifyServer.ts';
import { loopbackGet } from '../../../../src-main/providers/setup/loopbackGet.ts';
import { startFakeOllamaServer } from '../../../support/fakes/fakeOllamaServer.ts';
import { startFakeOpenAiServer } from '../../../support/fakes/fakeOpenAiServer.ts';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(handler: RequestListener): Promise<{ port: number; hits: string[] }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, hits };
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

describe('identifyServer', () => {
  it('names Ollama by /api/version and lists its models from /api/tags', async () => {
    const fake = await startFakeOllamaServer({ version: '0.5.7', models: ['qwen2.5-coder:7b', 'llama3.2:latest'] });
    closers.push(() => fake.close());
    const found = await identifyServer('127.0.0.1', portOf(fake.origin));
    expect(found).toMatchObject({
      outcome: 'found',
      server: { kind: 'ollama', name: 'Ollama', version: '0.5.7', providerType: 'ollama', baseUrl: fake.origin, models: [{ id: 'qwen2.5-coder:7b' }, { id: 'llama3.2:latest' }] },
    });
  });

  it("names llama-server by /props, with the running window from its settings", async () => {
    const fake = await startFakeOpenAiServer({ models: ['qwen2.5-coder-3b-q4_k_m.gguf'], contextWindow: { tokens: 8192, count: (text) => text.length, states: 'props' } });
    closers.push(() => fake.close());
    const found = await identifyServer('127.0.0.1', portOf(fake.origin));
    expect(found).toMatchObject({ outcome: 'found', server: { kind: 'llama-server', providerType: 'openai', baseUrl: `${fake.origin}/v1`, models: [{ id: 'qwen2.5-coder-3b-q4_k_m.gguf', contextLength: 8192 }] } });
  });

  it('names vLLM by its model list (owned_by vllm, max_model_len)', async () => {
    const fake = await startFakeOpenAiServer({ models: [{ id: 'Qwen/Qwen2.5-Coder-7B-Instruct', owned_by: 'vllm', max_model_len: 32768 }] });
    closers.push(() => fake.close());
    const found = await identifyServer('127.0.0.1', portOf(fake.origin));
    expect(found).toMatchObject({ outcome: 'found', server: { kind: 'vllm', name: 'vLLM', models: [{ id: 'Qwen/Qwen2.5-Coder-7B-Instruct', contextLength: 32768 }] } });
  });

  it('names LM Studio by /api/v0/models and offers only its chat models', async () => {
    const entries = [
      { id: 'qwen2.5-coder-7b-instruct', object: 'model', type: 'llm', state: 'loaded', max_context_length: 32768 },
      { id: 'text-embedding-nomic-embed-text-v1.5', object: 'model', type: 'embeddings', state: 'not-loaded', max_context_length: 2048 },
    ];
    const { port } = await serve((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v0/models') return res.end(JSON.stringify({ object: 'list', data: entries }));
      if (req.url === '/v1/models') return res.end(JSON.stringify({ object: 'list', data: entries.map(({ id }) => ({ id, object: 'model', owned_by: 'organization_owner' })) }));
      res.statusCode = 404;
      res.end(JSON.stringify({ error: 'Unexpected endpoint or method.' }));
    });
    const found = await identifyServer('127.0.0.1', port);
    expect(found).toMatchObject({ outcome: 'found', server: { kind: 'lm-studio', name: 'LM Studio', baseUrl: `http://127.0.0.1:${port}/v1`, models: [{ id: 'qwen2.5-coder-7b-instruct', contextLength: 32768 }] } });
    if (found.outcome === 'found') expect(found.server.models).toHaveLength(1);
  });

  it('calls any other server with an OpenAI model list "an OpenAI-compatible server"', async () => {
    const fake = await startFakeOpenAiServer({ models: ['m1', 'm2'] });
    closers.push(() => fake.close());
    const found = await identifyServer('127.0.0.1', portOf(fake.origin));
    expect(found).toMatchObject({ outcome: 'found', server: { kind: 'openai-compatible', name: 'an OpenAI-compatible server', models: [{ id: 'm1' }, { id: 'm2' }] } });
    // It only looked: every request was a GET, none a chat.
    expect(fake.requests.every((request) => request.method === 'GET')).toBe(true);
  });

  it('tells a web page from a model server, and a closed port from both', async () => {
    const { port } = await serve((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>router admin</body></html>');
    });
    expect(await identifyServer('127.0.0.1', port)).toEqual({ outcome: 'not-a-model-server' });
    const closed = await serve((_req, res) => res.end());
    await closers.pop()?.();
    expect(await identifyServer('127.0.0.1', closed.port)).toEqual({ outcome: 'closed' });
  });

  it('never follows a redirect, even to another loopback server', async () => {
    const elsewhere = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'lured' }] }));
    });
    const { port } = await serve((req, res) => {
      res.statusCode = 302;
      res.setHeader('location', `http://127.0.0.1:${elsewhere.port}${req.url ?? '/'}`);
      res.end();
    });
    expect(await identifyServer('127.0.0.1', port)).toEqual({ outcome: 'not-a-model-server' });
    expect(elsewhere.hits).toEqual([]);
  });

  it('drops a body past the size cap and gives up on a silent server within the time limit', async () => {
    const { port } = await serve((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'x'.repeat(probeLimits.maxBytes) }] }));
    });
    expect(await loopbackGet('127.0.0.1', port, '/v1/models', probeLimits)).toEqual({ status: 200 });
    const silent = await serve(() => undefined);
    const started = performance.now();
    expect(await loopbackGet('127.0.0.1', silent.port, '/v1/models', { timeoutMs: 300, maxBytes: 1000 })).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses to ask any host but loopback', async () => {
    await expect(loopbackGet('10.0.0.1' as '127.0.0.1', 80, '/', probeLimits)).rejects.toThrow(/not a loopback address/);
  });
});

describe('detectLocalServers', () => {
  it('asks every port on both loopback addresses at once and reports each', async () => {
    const fake = await startFakeOpenAiServer({ models: ['m1'] });
    closers.push(() => fake.close());
    const quiet = await serve((_req, res) => res.end());
    await closers.pop()?.();
    const found = await detectLocalServers([
      { port: portOf(fake.origin), usual: 'a test server' },
      { port: quiet.port, usual: 'nothing' },
    ]);
    expect(found.servers).toHaveLength(1);
    expect(found.servers[0]).toMatchObject({ kind: 'openai-compatible', host: '127.0.0.1', port: portOf(fake.origin) });
    expect(found.probed).toEqual(
      expect.arrayContaining([
        { host: '127.0.0.1', port: portOf(fake.origin), usual: 'a test server', outcome: 'found' },
        { host: '::1', port: portOf(fake.origin), usual: 'a test server', outcome: 'closed' },
        { host: '127.0.0.1', port: quiet.port, usual: 'nothing', outcome: 'closed' },
      ]),
    );
  });
});
