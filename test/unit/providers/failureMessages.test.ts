import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../../../src-main/providers/ollamaProvider.ts';
import { createOpenAiProvider } from '../../../src-main/providers/openaiProvider.ts';
import type { LlmProvider } from '../../../src-main/providers/LlmProvider.ts';
import { singleTargetRouter } from '../../support/singleTargetRouter.ts';
import { startFakeOpenAiServer, type FakeServer, type FakeStep } from '../../support/fakes/fakeOpenAiServer.ts';
import { rejection } from '../../support/rejection.ts';

/**
 * What the user reads when a provider fails (issue 12, item 9): the status, the cause in words
 * and what to do, in the router's "Tried: …" error and in every attempt's stored message; a web
 * page from a proxy is a server problem with its status, never "connection"; no errno codes.
 */
const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function routerFor(provider: LlmProvider) {
  return singleTargetRouter(provider, { baseDelayMs: 1, maxDelayMs: 2, random: () => 1 });
}

async function failWith(step: FakeStep) {
  const server = await startFakeOpenAiServer({ defaultStep: step });
  servers.push(server);
  const { router, attempts } = routerFor(createOpenAiProvider({ id: 'gw', baseUrl: server.url, apiKey: 'sk-test', models: ['m'] }));
  const error = await rejection(router.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }] }));
  return { error, attempts };
}

describe('provider failures in words', () => {
  it('a rejected key: the status, the server’s reason and what to do', async () => {
    const { error, attempts } = await failWith({ status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } } });
    expect(error.code).toBe('NO_ROUTE');
    expect(error.message).toContain('gw/m: error (auth): 401 Unauthorized: the key was rejected (Incorrect API key provided.). Update the key in Providers');
    expect(attempts[0]?.message).toContain('401 Unauthorized');
  });

  it('a prompt over the window: both numbers, and what to do', async () => {
    const body = { error: { code: 400, message: 'request (2245 tokens) exceeds the available context size (2048 tokens), try increasing it', type: 'exceed_context_size_error' } };
    const { error } = await failWith({ status: 400, body });
    expect(error.message).toContain("the prompt has 2,245 tokens, the model's context window is 2,048. Choose a model with a larger context window, or shorten the input.");
  });

  it('a proxy’s HTML error page is a server problem with its status and text, not "connection"', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>upstream gone</p></body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      const { router, attempts } = routerFor(createOpenAiProvider({ id: 'gw', baseUrl: url, apiKey: 'sk-test', models: ['m'] }));
      const error = await rejection(router.chat({ task: 'code', messages: [{ role: 'user', content: 'hi' }] }));
      expect(attempts.map((attempt) => attempt.errorKind)).toEqual(['server', 'server', 'server']);
      expect(error.message).toContain('502 Bad Gateway: the server answered with a web page instead of JSON');
      expect(error.message).toContain('upstream gone');
      expect(error.message).toContain('(3 tries)');
      expect(error.message).not.toContain('<html>');
    } finally {
      server.close();
    }
  });

  it('a 200 web page (a login page in between) is not "healthy" and not "connection"', async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><title>Sign in to the corporate proxy</title></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    try {
      const openai = createOpenAiProvider({ id: 'gw', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-test' });
      const health = await openai.health();
      expect(health).toMatchObject({ ok: false, code: 'server' });
      expect(health.detail).toContain('200 OK, but with a web page instead of an API answer ("Sign in to the corporate proxy")');
      const ollama = createOllamaProvider({ id: 'ol', baseUrl: `http://127.0.0.1:${port}` });
      const chat = async () => {
        for await (const _chunk of ollama.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal)) void _chunk;
      };
      await expect(chat()).rejects.toMatchObject({ kind: 'server', status: 200 });
    } finally {
      server.close();
    }
  });

  it('nothing listening: the host and port, the cause in words (no errno code), and what to do', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const health = await createOpenAiProvider({ id: 'gw', baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-test' }).health();
    expect(health).toMatchObject({ ok: false, code: 'unreachable' });
    expect(health.detail).toBe(`gw: cannot reach 127.0.0.1:${port}: the connection was refused. Is the server running, and is its address in Providers right?`);
  });
});
