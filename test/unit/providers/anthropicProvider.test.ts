import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../../src-main/providers/anthropicProvider.ts';
import type { LlmProvider } from '../../../src-main/providers/LlmProvider.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { anthropicContextLengthBody, startFakeAnthropicServer } from '../../support/fakes/fakeAnthropicServer.ts';
import type { FakeAnthropicOptions } from '../../support/fakes/fakeAnthropicServer.ts';
import type { FakeServer } from '../../support/fakes/fakeServerBase.ts';
import type { ChatChunk, ChatRequest } from '../../../src-main/modelCall/modelCallTypes.ts';

// Through the real `@anthropic-ai/sdk` against a fake Messages API on 127.0.0.1.

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fake(options: FakeAnthropicOptions = {}): Promise<FakeServer> {
  const server = await startFakeAnthropicServer(options);
  servers.push(server);
  return server;
}

function provider(server: FakeServer, contextLengths?: Record<string, number>): LlmProvider {
  return createAnthropicProvider({ id: 'claude', baseUrl: server.url, apiKey: 'sk-ant-test', ...(contextLengths ? { contextLengths } : {}) });
}

const request: ChatRequest = {
  model: 'claude-fake-sonnet',
  messages: [
    { role: 'system', content: 'You write services.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello.' },
    { role: 'user', content: 'Plan a todo API' },
  ],
};

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

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
const signal = (): AbortSignal => new AbortController().signal;

describe('anthropicProvider chat', () => {
  it('streams text deltas, usage from message_start/message_delta, and finish; system goes to `system`', async () => {
    const server = await fake({ script: [{ reply: 'Here is the plan.', chunks: 3, usage: { inputTokens: 40, outputTokens: 9 } }] });
    const chunks = await collect(provider(server).chat({ ...request, maxTokens: 500, temperature: 0.1 }, signal()));

    expect(textOf(chunks)).toBe('Here is the plan.');
    expect(chunks.filter((c) => c.type === 'text')).toHaveLength(3);
    expect(chunks.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 40, outputTokens: 9 },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(server.count('/v1/messages')).toBe(1);
    const sent = server.requests[0]!;
    expect(sent.apiKey).toBe('sk-ant-test'); // this SDK version sends it as Authorization: Bearer
    expect(sent.headers['anthropic-version']).toBeDefined();
    expect(sent.json).toEqual({
      model: 'claude-fake-sonnet',
      max_tokens: 500,
      temperature: 0.1,
      stream: true,
      system: 'You write services.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Plan a todo API' },
      ],
    });
  });

  it('sends a default max_tokens and maps max_tokens stop → length', async () => {
    const server = await fake({ script: [{ reply: 'truncated', finish: 'length' }] });
    const chunks = await collect(provider(server).chat(request, signal()));
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'length' });
    expect(server.requests[0]!.json).toMatchObject({ max_tokens: 4096 });
  });

  it('structured output: a forced tool with the schema, and the input_json_delta text arrives as text', async () => {
    const answer = { files: [{ path: 'app/main.py', purpose: 'entry point' }] };
    const server = await fake({ script: [{ reply: { json: answer }, chunks: 7 }] });
    const jsonSchema = { type: 'object', properties: { files: { type: 'array' } }, required: ['files'] };
    const chunks = await collect(provider(server).chat({ ...request, schema: { name: 'file plan', jsonSchema } }, signal()));

    expect(JSON.parse(textOf(chunks))).toEqual(answer);
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'stop' }); // stop_reason tool_use
    expect(server.requests[0]!.json).toMatchObject({
      tools: [{ name: 'file_plan', input_schema: jsonSchema }],
      tool_choice: { type: 'tool', name: 'file_plan' },
    });
  });

  it('without a key: chat is unavailable, health says no-key, nothing is sent', async () => {
    const server = await fake();
    const noKey = createAnthropicProvider({ id: 'claude', baseUrl: server.url, apiKey: undefined });
    expect((await failure(noKey.chat(request, signal()))).error.kind).toBe('unavailable');
    expect(await noKey.health()).toMatchObject({ ok: false, code: 'no-key' });
    expect(server.count()).toBe(0);
  });
});

describe('anthropicProvider faults (SDK retries are off: exactly one request each)', () => {
  it('429 with Retry-After: 2 → rate-limited, retryAfterMs 2000', async () => {
    const server = await fake({ script: [{ status: 429, headers: { 'retry-after': '2' } }] });
    const { error } = await failure(provider(server).chat(request, signal()));
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 2000 });
    expect(server.count()).toBe(1);
  });

  it.each([
    [500, 'server'],
    [529, 'server'],
    [503, 'server'],
    [401, 'auth'],
    [403, 'auth'],
    [404, 'not-found'],
    [400, 'bad-request'],
    [413, 'bad-request'],
    [408, 'request-timeout'],
    [409, 'conflict'],
  ] as const)('HTTP %i → %s', async (status, kind) => {
    const server = await fake({ script: [{ status }] });
    const { error } = await failure(provider(server).chat(request, signal()));
    expect(error).toMatchObject({ kind, status });
    expect(server.count()).toBe(1);
  });

  it('"prompt is too long" → context-length', async () => {
    const server = await fake({ script: [{ status: 400, body: anthropicContextLengthBody }] });
    const { error } = await failure(provider(server).chat(request, signal()));
    expect(error).toMatchObject({ kind: 'context-length', status: 400 });
  });

  it('an in-stream overloaded_error event → server; rate_limit_error → rate-limited', async () => {
    const server = await fake({
      script: [
        { streamError: { type: 'overloaded_error', message: 'Overloaded' }, afterTokens: 1 },
        { streamError: { type: 'rate_limit_error', message: 'Slow down' } },
      ],
    });
    const first = await failure(provider(server).chat(request, signal()));
    expect(first.chunks).toHaveLength(1);
    expect(first.error.kind).toBe('server');
    expect((await failure(provider(server).chat(request, signal()))).error.kind).toBe('rate-limited');
  });

  it.each([false, true])('a reset before the first token (afterHeaders: %s) → connection', async (afterHeaders) => {
    const server = await fake({ script: [{ resetBeforeFirstToken: true, afterHeaders }] });
    const { error, chunks } = await failure(provider(server).chat(request, signal()));
    expect(error.kind).toBe('connection');
    expect(chunks).toEqual([]);
    expect(server.count()).toBe(1);
  });

  it('a reset after tokens → the tokens, then connection', async () => {
    const server = await fake({ script: [{ resetAfterTokens: 3 }] });
    const { error, chunks } = await failure(provider(server).chat(request, signal()));
    expect(chunks.filter((c) => c.type === 'text')).toHaveLength(3);
    expect(error.kind).toBe('connection');
    expect(server.count()).toBe(1);
  });

  it('a stream that ends without message_stop → connection', async () => {
    const server = await fake({ script: [{ endAfterTokens: 1 }] });
    const { error, chunks } = await failure(provider(server).chat(request, signal()));
    expect(chunks).toHaveLength(1);
    expect(error.kind).toBe('connection');
  });

  it('a malformed SSE frame → server', async () => {
    const server = await fake({ script: [{ malformed: true, afterTokens: 2 }] });
    const { error, chunks } = await failure(provider(server).chat(request, signal()));
    expect(chunks).toHaveLength(2);
    expect(error.kind).toBe('server');
  });
});

describe('anthropicProvider cancellation', () => {
  it('aborting mid-stream stops the stream and closes the connection at the server', async () => {
    const server = await fake({ script: [{ reply: 'z'.repeat(40), chunks: 40, chunkDelayMs: 25 }] });
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
    expect((await failure(provider(server).chat(request, controller.signal))).error.kind).toBe('cancelled');
    expect(await server.settled(0)).toBe('client-closed');
  });
});

describe('anthropicProvider models and health', () => {
  it('lists models through the models API with max_input_tokens as the context length', async () => {
    const server = await fake({ models: ['claude-a', { id: 'claude-b', max_input_tokens: 1_000_000 }] });
    const claude = provider(server, { 'claude-a': 150_000 });
    expect(await claude.listModels()).toEqual([
      { id: 'claude-a', contextLength: 150_000 },
      { id: 'claude-b', contextLength: 1_000_000 },
    ]);
    expect(claude.capabilities('claude-b')).toEqual({ contextLength: 1_000_000, structuredOutput: true, streaming: true });
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(server.requests[0]!.apiKey).toBe('sk-ant-test');
  });

  it('falls back to the configured models when the server has no models API', async () => {
    const server = await fake({ routeScript: { 'GET /v1/models': [{ status: 404 }] } });
    const claude = createAnthropicProvider({ id: 'claude', baseUrl: server.url, apiKey: 'k', models: ['claude-x'] });
    expect(await claude.listModels()).toEqual([{ id: 'claude-x' }]);
  });

  it('health: ok with the count; 401 → auth; nothing listening → unreachable', async () => {
    const server = await fake();
    expect(await provider(server).health()).toMatchObject({ ok: true, detail: '2 models', models: [expect.any(String), expect.any(String)] });

    const rejecting = await fake({ routeScript: { 'GET /v1/models': [{ status: 401 }] } });
    expect(await provider(rejecting).health()).toMatchObject({ ok: false, code: 'auth' });

    const gone = await fake();
    await gone.close();
    expect(await provider(gone).health()).toMatchObject({ ok: false, code: 'unreachable' });
  });
});
