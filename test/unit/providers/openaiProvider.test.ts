import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenAiProvider } from '../../../src-main/providers/openaiProvider.ts';
import type { LlmProvider } from '../../../src-main/providers/LlmProvider.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { openAiContextLengthBody, startFakeOpenAiServer } from '../../support/fakes/fakeOpenAiServer.ts';
import type { FakeOpenAiOptions } from '../../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer } from '../../support/fakes/fakeServerBase.ts';
import type { ChatChunk, ChatRequest } from '../../../src-main/modelCall/modelCallTypes.ts';

// Through the real `openai` SDK against a fake OpenAI-compatible server on 127.0.0.1.

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fake(options: FakeOpenAiOptions = {}): Promise<FakeServer> {
  const server = await startFakeOpenAiServer(options);
  servers.push(server);
  return server;
}

function provider(server: FakeServer, apiKey: string | undefined = 'sk-test', extra: { contextLengths?: Record<string, number>; models?: string[] } = {}): LlmProvider {
  return createOpenAiProvider({ id: 'oai', baseUrl: server.url, apiKey, ...extra });
}

const request: ChatRequest = { model: 'gpt-fake', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }] };

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** Runs the stream to its end and returns the ProviderError it threw, plus the chunks before it. */
async function failure(stream: AsyncIterable<ChatChunk>): Promise<{ error: ProviderError; chunks: ChatChunk[] }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return { error: error as ProviderError, chunks };
  }
  throw new Error(`expected the stream to fail, got ${JSON.stringify(chunks)}`);
}

const textOf = (chunks: ChatChunk[]): string => chunks.map((chunk) => (chunk.type === 'text' ? chunk.text : '')).join('');

describe('openaiProvider chat', () => {
  it('streams text, then usage, then finish, in one request that carries the key', async () => {
    const server = await fake({ script: [{ reply: 'Hello there, friend.', chunks: 4, usage: { inputTokens: 12, outputTokens: 5 } }] });
    const chunks = await collect(provider(server).chat(request, new AbortController().signal));

    expect(chunks.filter((c) => c.type === 'text')).toHaveLength(4);
    expect(textOf(chunks)).toBe('Hello there, friend.');
    expect(chunks.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 12, outputTokens: 5 },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(server.count('/v1/chat/completions')).toBe(1);
    const sent = server.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer sk-test');
    expect(sent.apiKey).toBe('sk-test');
    expect(sent.json).toMatchObject({
      model: 'gpt-fake',
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
    });
    expect(sent.json).not.toHaveProperty('response_format');
  });

  it("maps finish_reason 'length'", async () => {
    const server = await fake({ script: [{ reply: 'cut', finish: 'length' }] });
    const chunks = await collect(provider(server).chat(request, new AbortController().signal));
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('asks for structured output with response_format json_schema (strict) and streams the JSON text', async () => {
    const answer = { name: 'todo-api', endpoints: ['GET /todos', 'POST /todos'] };
    const server = await fake({ script: [{ reply: { json: answer }, chunks: 6 }] });
    const jsonSchema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
    const chunks = await collect(provider(server).chat({ ...request, schema: { name: 'service plan', jsonSchema } }, new AbortController().signal));

    expect(JSON.parse(textOf(chunks))).toEqual(answer);
    expect(server.requests[0]!.json).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'service_plan', schema: jsonSchema, strict: true } },
    });
  });

  it('sends max_tokens and temperature to a compatible server', async () => {
    const server = await fake();
    await collect(provider(server).chat({ ...request, maxTokens: 77, temperature: 0.2 }, new AbortController().signal));
    expect(server.requests[0]!.json).toMatchObject({ max_tokens: 77, temperature: 0.2 });
  });

  it('uses api.openai.com by default and sends max_completion_tokens there', async () => {
    const server = await fake();
    const seen: string[] = [];
    const openAi = createOpenAiProvider({
      id: 'oai',
      apiKey: 'sk-real',
      fetch: (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        seen.push(url);
        return fetch(url.replace('https://api.openai.com/v1', server.url), init);
      },
    });
    await collect(openAi.chat({ ...request, maxTokens: 50 }, new AbortController().signal));
    expect(seen).toEqual(['https://api.openai.com/v1/chat/completions']);
    expect(server.requests[0]!.json).toMatchObject({ max_completion_tokens: 50 });
    expect(server.requests[0]!.json).not.toHaveProperty('max_tokens');
  });

  it('Azure-style gateway: the base URL query goes on every call, and the key also as api-key', async () => {
    const server = await fake();
    const azureBase = 'https://contoso.openai.azure.com/openai/v1';
    const azure = createOpenAiProvider({
      id: 'azure',
      baseUrl: `${azureBase}?api-version=preview`,
      apiKey: 'azure-key',
      fetch: (input, init) => fetch(String(input instanceof Request ? input.url : input).replace(azureBase, server.url), init),
    });
    await collect(azure.chat(request, new AbortController().signal));
    const sent = server.requests[0]!;
    expect(sent).toMatchObject({ path: '/v1/chat/completions', query: { 'api-version': 'preview' } });
    expect(sent.headers['api-key']).toBe('azure-key');
  });

  it('without a key: the default OpenAI URL is unavailable, a local server gets a placeholder key', async () => {
    const noKey = createOpenAiProvider({ id: 'oai', apiKey: undefined });
    const { error } = await failure(noKey.chat(request, new AbortController().signal));
    expect(error.kind).toBe('unavailable');
    expect(await noKey.health()).toMatchObject({ ok: false, code: 'no-key' });

    const server = await fake();
    await collect(createOpenAiProvider({ id: 'local', baseUrl: server.url, apiKey: undefined }).chat(request, new AbortController().signal));
    expect(server.requests[0]!.headers.authorization).toBe('Bearer not-needed');
  });
});

describe('openaiProvider faults (SDK retries are off: exactly one request each)', () => {
  it('429 with Retry-After: 2 → rate-limited, retryAfterMs 2000', async () => {
    const server = await fake({ script: [{ status: 429, headers: { 'retry-after': '2' } }] });
    const { error } = await failure(provider(server).chat(request, new AbortController().signal));
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 2000, retryable: true });
    expect(server.count()).toBe(1);
  });

  it('honours retry-after-ms', async () => {
    const server = await fake({ script: [{ status: 429, headers: { 'retry-after-ms': '1500' } }] });
    const { error } = await failure(provider(server).chat(request, new AbortController().signal));
    expect(error.retryAfterMs).toBe(1500);
  });

  it.each([
    [500, 'server'],
    [502, 'server'],
    [503, 'server'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not-found'],
    [400, 'bad-request'],
    [422, 'bad-request'],
    [408, 'request-timeout'],
    [409, 'conflict'],
  ] as const)('HTTP %i → %s', async (status, kind) => {
    const server = await fake({ script: [{ status }] });
    const { error } = await failure(provider(server).chat(request, new AbortController().signal));
    expect(error).toMatchObject({ kind, status });
    expect(server.count()).toBe(1);
  });

  it('a context-length error body → context-length (not retryable)', async () => {
    const server = await fake({ script: [{ status: 400, body: openAiContextLengthBody }] });
    const { error } = await failure(provider(server).chat(request, new AbortController().signal));
    expect(error).toMatchObject({ kind: 'context-length', status: 400, retryable: false });
  });

  it('llama.cpp server context error (exceed_context_size_error) → context-length', async () => {
    const body = { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 5000, n_ctx: 4096 } };
    const server = await fake({ script: [{ status: 400, body }] });
    const { error } = await failure(provider(server).chat(request, new AbortController().signal));
    expect(error.kind).toBe('context-length');
  });

  it.each([false, true])('a reset before the first token (afterHeaders: %s) → connection', async (afterHeaders) => {
    const server = await fake({ script: [{ resetBeforeFirstToken: true, afterHeaders }] });
    const { error, chunks } = await failure(provider(server).chat(request, new AbortController().signal));
    expect(error.kind).toBe('connection');
    expect(chunks).toEqual([]);
    expect(server.count()).toBe(1);
  });

  it('a reset after tokens → the tokens, then connection', async () => {
    const server = await fake({ script: [{ resetAfterTokens: 2 }] });
    const { error, chunks } = await failure(provider(server).chat(request, new AbortController().signal));
    expect(chunks.filter((c) => c.type === 'text')).toHaveLength(2);
    expect(error.kind).toBe('connection');
    expect(server.count()).toBe(1);
  });

  it('a stream that ends cleanly without finish_reason → connection', async () => {
    const server = await fake({ script: [{ endAfterTokens: 2 }] });
    const { error, chunks } = await failure(provider(server).chat(request, new AbortController().signal));
    expect(chunks).toHaveLength(2);
    expect(error.kind).toBe('connection');
  });

  it('a malformed SSE frame → server (a wire fault, retryable; not the model output)', async () => {
    const server = await fake({ script: [{ malformed: true, afterTokens: 1 }] });
    const { error, chunks } = await failure(provider(server).chat(request, new AbortController().signal));
    expect(chunks).toHaveLength(1);
    expect(error).toMatchObject({ kind: 'server', retryable: true });
  });

  it('an in-stream error event → server, or context-length when it says so', async () => {
    const server = await fake({
      script: [{ streamError: { message: 'The server had an error while processing your request.' }, afterTokens: 1 }, { streamError: { message: "This model's maximum context length is 4096 tokens." } }],
    });
    expect((await failure(provider(server).chat(request, new AbortController().signal))).error.kind).toBe('server');
    expect((await failure(provider(server).chat(request, new AbortController().signal))).error.kind).toBe('context-length');
  });

  it('vLLM-style in-stream error with a numeric code → that status kind', async () => {
    const server = await fake({ script: [{ streamError: { message: 'bad', type: 'BadRequestError', code: 400 } }] });
    expect((await failure(provider(server).chat(request, new AbortController().signal))).error.kind).toBe('bad-request');
  });

  it('a delay-only step waits, then plays the default reply; enqueue adds steps later', async () => {
    const server = await fake({ script: [{ delayMs: 120 }] });
    server.enqueue({ status: 503 });
    const started = Date.now();
    expect(textOf(await collect(provider(server).chat(request, new AbortController().signal)))).toBe('Hello from the fake server.');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect((await failure(provider(server).chat(request, new AbortController().signal))).error.kind).toBe('server');
  });

  it('connection refused → connection', async () => {
    const server = await fake();
    await server.close();
    const { error } = await failure(provider(server).chat(request, new AbortController().signal));
    expect(error.kind).toBe('connection');
  });
});

describe('openaiProvider cancellation', () => {
  it("leaves no listener on the caller's signal once a call is over (answered, failed, or stopped early)", async () => {
    const server = await fake({ script: [{ reply: 'one' }, { status: 500 }, { reply: 'y'.repeat(40), chunks: 40, chunkDelayMs: 5 }, { reply: 'four' }] });
    const oai = provider(server);
    const controller = new AbortController();
    await collect(oai.chat(request, controller.signal));
    await failure(oai.chat(request, controller.signal));
    for await (const chunk of oai.chat(request, controller.signal)) if (chunk.type === 'text') break;
    await collect(oai.chat(request, controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('aborting mid-stream stops the stream and closes the connection at the server', async () => {
    const server = await fake({ script: [{ reply: 'x'.repeat(40), chunks: 40, chunkDelayMs: 25 }] });
    const controller = new AbortController();
    const chunks: ChatChunk[] = [];
    let caught: unknown;
    try {
      for await (const chunk of provider(server).chat(request, controller.signal)) {
        chunks.push(chunk);
        if (chunks.length === 2) controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ kind: 'cancelled' });
    expect(chunks.length).toBeLessThan(5);
    expect(await server.settled(0)).toBe('client-closed');
  });

  it('aborting while the server hangs → cancelled, connection closed', async () => {
    const server = await fake({ script: [{ hang: true }] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const { error } = await failure(provider(server).chat(request, controller.signal));
    expect(error.kind).toBe('cancelled');
    expect(await server.settled(0)).toBe('client-closed');
  });

  it('a timeout signal (AbortSignal.timeout) → timeout; a ProviderError reason is passed through', async () => {
    const server = await fake({ script: [{ hang: true, afterHeaders: true }, { hang: true }] });
    expect((await failure(provider(server).chat(request, AbortSignal.timeout(50)))).error.kind).toBe('timeout');
    const controller = new AbortController();
    const reason = new ProviderError('oai', 'timeout', 'no first token within 50 ms');
    setTimeout(() => controller.abort(reason), 50);
    expect((await failure(provider(server).chat(request, controller.signal))).error).toBe(reason);
  });

  it('breaking out of the loop closes the connection', async () => {
    const server = await fake({ script: [{ reply: 'y'.repeat(40), chunks: 40, chunkDelayMs: 25 }] });
    for await (const chunk of provider(server).chat(request, new AbortController().signal)) {
      if (chunk.type === 'text') break;
    }
    expect(await server.settled(0)).toBe('client-closed');
  });
});

describe('openaiProvider models and health', () => {
  it('lists models with context lengths from config or the server (vLLM max_model_len)', async () => {
    const server = await fake({ models: ['gpt-fake', { id: 'qwen-vllm', max_model_len: 32_768 }, { id: 'llama-cpp', meta: { n_ctx_train: 4096 } }] });
    const openAi = provider(server, 'sk-test', { contextLengths: { 'gpt-fake': 128_000 } });
    expect(await openAi.listModels()).toEqual([
      { id: 'gpt-fake', contextLength: 128_000 },
      { id: 'qwen-vllm', contextLength: 32_768 },
      { id: 'llama-cpp', contextLength: 4096 },
    ]);
    expect(openAi.capabilities('qwen-vllm')).toEqual({ contextLength: 32_768, structuredOutput: true, streaming: true });
    expect(openAi.capabilities('unknown').contextLength).toBe(8_192);
    expect(server.requests[0]!.path).toBe('/v1/models');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('falls back to the configured models when the server has no /models', async () => {
    const server = await fake({ routeScript: { 'GET /v1/models': [{ status: 404 }] } });
    expect(await provider(server, 'k', { models: ['deployment-a'] }).listModels()).toEqual([{ id: 'deployment-a' }]);
  });

  it('health: ok with the model count; 401 → auth; nothing listening → unreachable', async () => {
    const server = await fake({ models: ['a', 'b', 'c'] });
    expect(await provider(server).health()).toEqual({ ok: true, detail: '3 models', models: ['a', 'b', 'c'] });
    expect(await provider(await fake({ models: ['only'] })).health()).toEqual({ ok: true, detail: '1 model', models: ['only'] });

    const rejecting = await fake({ routeScript: { 'GET /v1/models': [{ status: 401 }] } });
    expect(await provider(rejecting).health()).toMatchObject({ ok: false, code: 'auth' });

    const gone = await fake();
    await gone.close();
    expect(await provider(gone).health()).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('health with a hanging server and a timeout signal → unreachable', async () => {
    const server = await fake({ routeScript: { 'GET /v1/models': [{ hang: true }] } });
    expect(await provider(server).health(AbortSignal.timeout(50))).toMatchObject({ ok: false, code: 'unreachable' });
  });
});
