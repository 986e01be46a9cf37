import { afterEach, describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../../../src-main/providers/ollamaProvider.ts';
import type { OllamaProvider, PullProgress } from '../../../src-main/providers/ollamaProvider.ts';
import { ProviderError } from '../../../src-main/providers/ProviderError.ts';
import { startFakeOllamaServer } from '../../support/fakes/fakeOllamaServer.ts';
import type { FakeOllamaOptions } from '../../support/fakes/fakeOllamaServer.ts';
import type { FakeServer } from '../../support/fakes/fakeServerBase.ts';
import type { ChatChunk, ChatRequest } from '../../../src-main/modelCall/modelCallTypes.ts';

// No real Ollama server exists on this machine: these tests run the official `ollama` client
// against a protocol-level fake (test/support/fakes/fakeOllamaServer.ts) on 127.0.0.1.

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fake(options: FakeOllamaOptions = {}): Promise<FakeServer> {
  const server = await startFakeOllamaServer(options);
  servers.push(server);
  return server;
}

const provider = (server: FakeServer, contextLengths?: Record<string, number>): OllamaProvider =>
  createOllamaProvider({ id: 'ollama', baseUrl: server.url, ...(contextLengths ? { contextLengths } : {}) });

const request: ChatRequest = { model: 'llama3.2:latest', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }] };

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

describe('ollamaProvider chat', () => {
  it('streams text, usage from prompt_eval_count/eval_count, and done_reason', async () => {
    const server = await fake({ script: [{ reply: 'Hi! How can I help?', chunks: 5, usage: { inputTokens: 26, outputTokens: 7 } }] });
    const chunks = await collect(provider(server).chat({ ...request, temperature: 0.3, maxTokens: 100 }, signal()));

    expect(textOf(chunks)).toBe('Hi! How can I help?');
    expect(chunks.filter((c) => c.type === 'text')).toHaveLength(5);
    expect(chunks.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 26, outputTokens: 7 },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(server.count('/api/chat')).toBe(1);
    expect(server.requests[0]!.json).toEqual({
      model: 'llama3.2:latest',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      stream: true,
      options: { num_ctx: 8192, temperature: 0.3, num_predict: 100 },
    });
  });

  it("maps done_reason 'length'", async () => {
    const server = await fake({ script: [{ reply: 'long', finish: 'length' }] });
    expect((await collect(provider(server).chat(request, signal()))).at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('structured output: the JSON Schema goes in `format` and the JSON text arrives', async () => {
    const answer = { language: 'python', framework: 'fastapi' };
    const server = await fake({ script: [{ reply: { json: answer }, chunks: 5 }] });
    const jsonSchema = { type: 'object', properties: { language: { type: 'string' } }, required: ['language'] };
    const chunks = await collect(provider(server).chat({ ...request, schema: { name: 'stack', jsonSchema } }, signal()));
    expect(JSON.parse(textOf(chunks))).toEqual(answer);
    expect(server.requests[0]!.json).toMatchObject({ format: jsonSchema });
  });
});

describe('ollamaProvider faults (one request each)', () => {
  it.each([
    [404, 'not-found'],
    [500, 'server'],
    [503, 'server'],
    [400, 'bad-request'],
    [401, 'auth'],
  ] as const)('HTTP %i → %s', async (status, kind) => {
    const server = await fake({ script: [{ status }] });
    const { error } = await failure(provider(server).chat(request, signal()));
    expect(error).toMatchObject({ kind, status });
    expect(server.count()).toBe(1);
  });

  it('429 with Retry-After: 2 → rate-limited, retryAfterMs 2000 (read by our fetch wrapper: the ollama client drops headers)', async () => {
    const server = await fake({ script: [{ status: 429, headers: { 'retry-after': '2' } }] });
    const { error } = await failure(provider(server).chat(request, signal()));
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 2000 });
    expect(server.count()).toBe(1);
  });

  it('a context-length error → context-length', async () => {
    const server = await fake({ script: [{ status: 400, body: { error: 'prompt too long; exceeded max context length by 120 tokens' } }] });
    expect((await failure(provider(server).chat(request, signal()))).error.kind).toBe('context-length');
  });

  it('an in-stream {error} line → server', async () => {
    const server = await fake({ script: [{ streamError: { message: 'an error was encountered while running the model' }, afterTokens: 1 }] });
    const { error, chunks } = await failure(provider(server).chat(request, signal()));
    expect(chunks).toHaveLength(1);
    expect(error.kind).toBe('server');
  });

  it.each([false, true])('a reset before the first token (afterHeaders: %s) → connection', async (afterHeaders) => {
    const server = await fake({ script: [{ resetBeforeFirstToken: true, afterHeaders }] });
    const { error, chunks } = await failure(provider(server).chat(request, signal()));
    expect(error.kind).toBe('connection');
    expect(chunks).toEqual([]);
  });

  it('a reset after tokens → the tokens, then connection', async () => {
    const server = await fake({ script: [{ resetAfterTokens: 2 }] });
    const { error, chunks } = await failure(provider(server).chat(request, signal()));
    expect(chunks).toHaveLength(2);
    expect(error.kind).toBe('connection');
    expect(server.count()).toBe(1);
  });

  it('a stream that ends without done → connection', async () => {
    const server = await fake({ script: [{ endAfterTokens: 2 }] });
    const { error, chunks } = await failure(provider(server).chat(request, signal()));
    expect(chunks).toHaveLength(2);
    expect(error.kind).toBe('connection');
  });

  it('a malformed NDJSON line → server (the client would otherwise skip it silently)', async () => {
    const server = await fake({ script: [{ malformed: true, afterTokens: 1 }] });
    const { error, chunks } = await failure(provider(server).chat(request, signal()));
    expect(chunks).toHaveLength(1);
    expect(error.kind).toBe('server');
  });

  it('connection refused → connection', async () => {
    const server = await fake();
    await server.close();
    expect((await failure(provider(server).chat(request, signal()))).error.kind).toBe('connection');
  });
});

describe('ollamaProvider cancellation', () => {
  it('aborting mid-stream stops the stream and closes the connection at the server', async () => {
    const server = await fake({ script: [{ reply: 'w'.repeat(40), chunks: 40, chunkDelayMs: 25 }] });
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

  it('aborting before the response (server hangs) → cancelled, connection closed', async () => {
    const server = await fake({ script: [{ hang: true }] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect((await failure(provider(server).chat(request, controller.signal))).error.kind).toBe('cancelled');
    expect(await server.settled(0)).toBe('client-closed');
  });

  it('breaking out of the loop closes the connection', async () => {
    const server = await fake({ script: [{ reply: 'v'.repeat(40), chunks: 40, chunkDelayMs: 25 }] });
    for await (const chunk of provider(server).chat(request, signal())) {
      if (chunk.type === 'text') break;
    }
    expect(await server.settled(0)).toBe('client-closed');
  });

  it('one call aborting leaves a concurrent call alone', async () => {
    const server = await fake({ defaultStep: { reply: 'u'.repeat(10), chunks: 10, chunkDelayMs: 20 } });
    const ollama = provider(server);
    const controller = new AbortController();
    const aborted = failure(ollama.chat(request, controller.signal));
    const other = collect(ollama.chat(request, signal()));
    setTimeout(() => controller.abort(), 60);
    expect((await aborted).error.kind).toBe('cancelled');
    expect(textOf(await other)).toBe('u'.repeat(10));
  });
});

describe('ollamaProvider models, health and pull', () => {
  it('lists /api/tags with sizes, quantisation, and context length from /api/show model_info', async () => {
    const server = await fake({ models: [{ name: 'llama3.2:latest', contextLength: 131_072, size: 2_000 }, { name: 'mystery:1b', family: 'gemma3' }] });
    const ollama = provider(server);
    expect(await ollama.listModels()).toEqual([
      { id: 'llama3.2:latest', contextLength: 131_072, sizeBytes: 2_000, architecture: 'llama', quantization: 'Q4_K_M' },
      { id: 'mystery:1b', sizeBytes: 2_019_393_189, architecture: 'gemma3', quantization: 'Q4_K_M' },
    ]);
    // Runs with num_ctx capped at 8192 unless configured higher.
    expect(ollama.capabilities('llama3.2:latest')).toEqual({ contextLength: 8192, structuredOutput: true, streaming: true });
    expect(provider(server, { 'llama3.2:latest': 32_768 }).capabilities('llama3.2:latest').contextLength).toBe(32_768);
  });

  it('a context length the server states that is no window (12.5, -1, 0, 1e300) is taken as unknown', async () => {
    const server = await fake({ models: [12.5, -1, 0, 1e300].map((contextLength, index) => ({ name: `odd${index}:1b`, contextLength, size: 1_000 })) });
    const listed = await provider(server).listModels();
    expect(listed.map((model) => model.contextLength)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('health via /api/version and /api/tags (the models it can serve); nothing listening → "not running" in words', async () => {
    const server = await fake({ version: '0.9.1' });
    expect(await provider(server).health()).toEqual({ ok: true, detail: 'Ollama 0.9.1, 2 models', models: ['llama3.2:latest', 'qwen2.5-coder:7b'] });
    expect(server.requests.map((request) => request.path)).toEqual(['/api/version', '/api/tags']);

    const gone = await fake();
    await gone.close();
    expect(await provider(gone).health()).toEqual({
      ok: false,
      code: 'unreachable',
      detail: `Ollama is not running at ${new URL(gone.url).host}: start the Ollama app or \`ollama serve\``,
    });
  });

  it('health with a hanging server and a timeout signal → unreachable', async () => {
    const server = await fake({ routeScript: { 'GET /api/version': [{ hang: true }] } });
    expect(await provider(server).health(AbortSignal.timeout(50))).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('pull streams progress (status, completed, total) and resolves on success', async () => {
    const server = await fake();
    const progress: PullProgress[] = [];
    await provider(server).pull('llama3.2:latest', { onProgress: (p) => progress.push(p) });
    expect(progress[0]).toEqual({ status: 'pulling manifest' });
    expect(progress).toContainEqual({ status: 'pulling sha256:aaaa', digest: 'sha256:aaaa', completed: 500, total: 1000 });
    expect(progress.at(-1)).toEqual({ status: 'success' });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/api/pull', json: { name: 'llama3.2:latest', stream: true } });
  });

  it('pull: an in-stream error rejects with it; an abort cancels and closes the connection', async () => {
    const failing = await fake({ pull: { error: 'pull model manifest: file does not exist' } });
    await expect(provider(failing).pull('nope:1b')).rejects.toMatchObject({ kind: 'not-found' });

    const slow = await fake({ pull: { chunkDelayMs: 40 } });
    const controller = new AbortController();
    const seen: PullProgress[] = [];
    const pulling = provider(slow).pull('llama3.2:latest', {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        if (seen.length === 2) controller.abort();
      },
    });
    await expect(pulling).rejects.toMatchObject({ kind: 'cancelled' });
    expect(seen.length).toBeLessThan(5);
    expect(await slow.settled(0)).toBe('client-closed');
  });
});
