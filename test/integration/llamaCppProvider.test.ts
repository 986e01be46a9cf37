// Real llama.cpp (node-llama-cpp's prebuilt CPU binary) on a random-weight GGUF written by
// test/fixtures/makeTinyGguf.ts: no model is downloaded. One thread: see defaultThreadCount.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLlama, LlamaLogLevel, type Llama, type LlamaModel } from 'node-llama-cpp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ProviderError } from '../../src-main/providers/ProviderError.ts';
import { defaultThreadCount } from '../../src-main/providers/defaultThreadCount.ts';
import { createLlamaCppProvider, type LlamaCppProvider, type LlamaCppProviderOptions } from '../../src-main/providers/llamaCppProvider.ts';
import { writeTinyGguf } from '../fixtures/makeTinyGguf.ts';
import { createTempDir, removeTempDirs } from '../support/tempDir.ts';
import type { ChatChunk, ChatRequest } from '../../src-main/modelCall/modelCallTypes.ts';

const model = 'tiny.gguf';
let llama: Llama;
let modelDir: string;
const providers: LlamaCppProvider[] = [];

beforeAll(async () => {
  modelDir = createTempDir('sc-llama-models-');
  writeTinyGguf(join(modelDir, model), { seed: 7 });
  llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(providers.splice(0).map((provider) => provider.dispose()));
});

afterAll(async () => {
  await llama.dispose();
  removeTempDirs();
});

function makeProvider(overrides: Partial<LlamaCppProviderOptions> = {}): LlamaCppProvider {
  const provider = createLlamaCppProvider({ id: 'local', modelDirs: [modelDir], threads: 1, gpu: false, loadLlama: async () => llama, ...overrides });
  providers.push(provider);
  return provider;
}

function request(content: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model, messages: [{ role: 'user', content }], maxTokens: 24, ...extra };
}

async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

function text(chunks: ChatChunk[]): string {
  return chunks.map((chunk) => (chunk.type === 'text' ? chunk.text : '')).join('');
}

function tail(chunks: ChatChunk[]): { usage: Extract<ChatChunk, { type: 'usage' }>; finish: Extract<ChatChunk, { type: 'finish' }> } {
  const [usage, finish] = chunks.slice(-2);
  if (usage?.type !== 'usage' || finish?.type !== 'finish') throw new Error(`stream did not end with usage, finish: ${JSON.stringify(chunks.slice(-2))}`);
  expect(chunks.slice(0, -2).every((chunk) => chunk.type === 'text')).toBe(true);
  return { usage, finish };
}

async function errorOf(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const never = () => new AbortController().signal;

describe('llama.cpp provider (tiny random GGUF)', () => {
  it('streams several text chunks, then usage with real token counts, then finish', async () => {
    const provider = makeProvider();
    const chunks = await collect(provider.chat(request('Hello there'), never()));
    const { usage, finish } = tail(chunks);
    expect(chunks.filter((chunk) => chunk.type === 'text').length).toBeGreaterThanOrEqual(3);
    expect(text(chunks).length).toBeGreaterThan(0);
    expect(finish.reason).toBe('length');
    expect(usage.outputTokens).toBe(24);
    // The fixture's vocabulary has one token per ASCII character: ten more characters in the
    // prompt are exactly ten more prompt tokens, so the count comes from the real tokenizer.
    const longer = tail(await collect(provider.chat(request('Hello there0123456789', { maxTokens: 1 }), never())));
    expect(longer.usage.inputTokens - usage.inputTokens).toBe(10);
    expect(longer.finish.reason).toBe('length');
  });

  it('cancels mid-generation promptly with finish "cancelled", and the model is reusable after', async () => {
    const provider = makeProvider();
    const controller = new AbortController();
    let abortedAt = 0;
    let texts = 0;
    const chunks: ChatChunk[] = [];
    for await (const chunk of provider.chat(request('Tell me a long story', { maxTokens: 1900 }), controller.signal)) {
      chunks.push(chunk);
      if (chunk.type === 'text' && ++texts === 3) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    const stoppedAfterMs = performance.now() - abortedAt;
    const { usage, finish } = tail(chunks);
    expect(finish.reason).toBe('cancelled');
    expect(stoppedAfterMs).toBeLessThan(500);
    expect(usage.outputTokens).toBeLessThan(50); // of 1900 allowed

    const again = tail(await collect(provider.chat(request('And now a short one'), never())));
    expect(again.finish.reason).toBe('length');
    expect(again.usage.outputTokens).toBe(24);
  });

  it('ends as cancelled without loading when the signal is already aborted, and when the consumer stops reading', async () => {
    const provider = makeProvider();
    const loadModel = vi.spyOn(llama, 'loadModel');
    const aborted = AbortSignal.abort();
    expect(await collect(provider.chat(request('hi'), aborted))).toEqual([
      { type: 'usage', inputTokens: 0, outputTokens: 0 },
      { type: 'finish', reason: 'cancelled' },
    ]);
    expect(loadModel).not.toHaveBeenCalled();

    for await (const chunk of provider.chat(request('hi', { maxTokens: 1900 }), never())) if (chunk.type === 'text') break;
    const after = tail(await collect(provider.chat(request('still there?'), never())));
    expect(after.finish.reason).toBe('length');
  });

  it('maps a JSON schema to a grammar: the answer parses and matches the schema', async () => {
    const provider = makeProvider();
    // Bounded strings and arrays, enums and booleans: random weights still finish the JSON.
    const answer = z.object({
      name: z.string().max(12),
      kind: z.enum(['service', 'library', 'cli']),
      tags: z.array(z.string().max(6)).max(3),
      ready: z.boolean(),
    });
    const chunks = await collect(
      provider.chat(request('Describe the project as JSON', { maxTokens: 400, schema: { name: 'project', jsonSchema: z.toJSONSchema(answer) } }), never()),
    );
    const { usage, finish } = tail(chunks);
    expect(finish.reason).toBe('stop');
    expect(usage.outputTokens).toBeGreaterThan(10);
    const parsed = answer.strict().parse(JSON.parse(text(chunks)));
    expect(Object.keys(parsed).sort()).toEqual(['kind', 'name', 'ready', 'tags']);
  });

  it('refuses a prompt longer than the context with "context-length" before generating', async () => {
    const provider = makeProvider({ contextSize: 1024 });
    const chunks: ChatChunk[] = [];
    const error = await errorOf(
      (async () => {
        for await (const chunk of provider.chat(request('x'.repeat(1500)), never())) chunks.push(chunk);
      })(),
    );
    expect(error.kind).toBe('context-length');
    expect(error.message).toMatch(/prompt is \d+ tokens but tiny\.gguf runs with a 1024-token context/);
    expect(chunks).toEqual([]);
    expect(tail(await collect(provider.chat(request('short'), never()))).finish.reason).toBe('length');
  });

  it('reports a missing or non-GGUF model as "unavailable"', async () => {
    const provider = makeProvider();
    const missing = await errorOf(collect(provider.chat({ ...request('hi'), model: 'nope.gguf' }, never())));
    expect(missing.kind).toBe('unavailable');
    expect(missing.message).toContain('"nope.gguf" was not found');
    const escape = await errorOf(collect(provider.chat({ ...request('hi'), model: '../tiny.gguf' }, never())));
    expect(escape.kind).toBe('unavailable');

    const dir = createTempDir('sc-llama-bad-');
    writeFileSync(join(dir, 'broken.gguf'), 'not a model at all');
    const bad = await errorOf(collect(makeProvider({ modelDirs: [dir] }).chat({ ...request('hi'), model: 'broken.gguf' }, never())));
    expect(bad.kind).toBe('unavailable');
    expect(bad.message).toContain('is not a GGUF file');
  });

  it('unloads an idle model and loads it again on the next chat', async () => {
    const loadModel = vi.spyOn(llama, 'loadModel');
    const provider = makeProvider({ idleUnloadMs: 100 });
    expect(tail(await collect(provider.chat(request('first'), never()))).finish.reason).toBe('length');
    expect(loadModel).toHaveBeenCalledTimes(1);
    const first = (await loadModel.mock.results[0]?.value) as LlamaModel;
    await vi.waitFor(() => expect(first.disposed).toBe(true), { timeout: 3000, interval: 20 });

    expect(tail(await collect(provider.chat(request('second'), never()))).finish.reason).toBe('length');
    expect(loadModel).toHaveBeenCalledTimes(2);
    const second = (await loadModel.mock.results[1]?.value) as LlamaModel;
    expect(second.disposed).toBe(false);
    await provider.dispose();
    expect(second.disposed).toBe(true);
  });

  it('still unloads a model whose only chat was cancelled while it loaded', async () => {
    const loadModel = vi.spyOn(llama, 'loadModel');
    const provider = makeProvider({ idleUnloadMs: 100 });
    const controller = new AbortController();
    const chunks = collect(provider.chat(request('hi'), controller.signal));
    await vi.waitFor(() => expect(loadModel).toHaveBeenCalledTimes(1), { timeout: 3000, interval: 1 });
    controller.abort();
    expect((await chunks).slice(-1)).toEqual([{ type: 'finish', reason: 'cancelled' }]);
    const loaded = (await loadModel.mock.results[0]?.value) as LlamaModel;
    await vi.waitFor(() => expect(loaded.disposed).toBe(true), { timeout: 3000, interval: 20 });
  });

  it('loads the model once for concurrent chats, which all complete', async () => {
    const loadModel = vi.spyOn(llama, 'loadModel');
    const provider = makeProvider();
    const results = await Promise.all(['one', 'two', 'three'].map((content) => collect(provider.chat(request(content), never()))));
    expect(loadModel).toHaveBeenCalledTimes(1);
    for (const chunks of results) expect(tail(chunks)).toMatchObject({ finish: { reason: 'length' }, usage: { outputTokens: 24 } });
  });

  it('dispose cancels a running chat and refuses later ones', async () => {
    const provider = makeProvider();
    const chunks: ChatChunk[] = [];
    let disposing: Promise<void> | undefined;
    for await (const chunk of provider.chat(request('long', { maxTokens: 1900 }), never())) {
      chunks.push(chunk);
      if (chunk.type === 'text') disposing ??= provider.dispose();
    }
    await disposing;
    expect(tail(chunks).finish.reason).toBe('cancelled');
    expect((await errorOf(collect(provider.chat(request('hi'), never())))).kind).toBe('unavailable');
  });

  it('lists models with GGUF details and reports capabilities and health', async () => {
    const provider = makeProvider({ contextSize: 1024 });
    expect(await provider.listModels()).toEqual([{ id: model, contextLength: 1024, sizeBytes: expect.any(Number), architecture: 'llama', quantization: 'F32' }]);
    expect(provider.capabilities(model)).toEqual({ contextLength: 1024, structuredOutput: true, streaming: true });
    expect(makeProvider({ contextSize: 100_000 }).capabilities(model).contextLength).toBe(100_000); // header not read yet
    const big = makeProvider({ contextSize: 100_000 });
    await big.listModels();
    expect(big.capabilities(model).contextLength).toBe(2048); // the fixture's training context

    expect(await provider.health()).toEqual({ ok: true, detail: '1 local model; llama.cpp on CPU' });
    const empty = createTempDir('sc-llama-empty-');
    mkdirSync(join(empty, 'sub'));
    expect(await makeProvider({ modelDirs: [empty, join(empty, 'missing')] }).health()).toMatchObject({ ok: false, code: 'no-models' });
    const broken = makeProvider({ loadLlama: () => Promise.reject(new Error('no prebuilt binary for this platform')) });
    expect(await broken.health()).toEqual({ ok: false, code: 'binding', detail: 'the llama.cpp binding could not be loaded: no prebuilt binary for this platform' });
  });
});

describe('defaultThreadCount', () => {
  it('leaves one core free and never goes below one thread', () => {
    expect([0, 1, 2, 3, 4, 8, 16.5, Number.NaN].map(defaultThreadCount)).toEqual([1, 1, 1, 2, 3, 7, 15, 1]);
  });
});
