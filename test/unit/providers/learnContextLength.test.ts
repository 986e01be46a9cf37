import { afterEach, describe, expect, it } from 'vitest';
import { createOllamaProvider } from '../../../src-main/providers/ollamaProvider.ts';
import { createOpenAiProvider } from '../../../src-main/providers/openaiProvider.ts';
import { LearnedWindows } from '../../../src-main/providers/LearnedWindows.ts';
import { countTokens } from '../../../src-main/tokens/countTokens.ts';
import { startFakeOllamaServer } from '../../support/fakes/fakeOllamaServer.ts';
import { startFakeOpenAiServer, type FakeContextWindow } from '../../support/fakes/fakeOpenAiServer.ts';
import type { FakeServer, FakeStep } from '../../support/fakes/fakeServerBase.ts';

/**
 * A model's window learned from its server before the first call (real SDKs, loopback servers):
 * vLLM's model list, llama-server's /props over its trained length, Ollama's /api/show; a
 * configured window wins and is never asked; a slow server costs at most the bound.
 */
const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function openAiServer(states: FakeContextWindow['states'], tokens: number, routeScript?: Record<string, FakeStep[]>) {
  const server = await startFakeOpenAiServer({ models: ['local-model'], contextWindow: { tokens, count: countTokens, states }, ...(routeScript ? { routeScript } : {}) });
  servers.push(server);
  return server;
}

describe('learnContextLength (OpenAI-compatible)', () => {
  it("learns vLLM's max_model_len from the model list once, before any chat", async () => {
    const server = await openAiServer('max_model_len', 12_000);
    const provider = createOpenAiProvider({ id: 'vllm', baseUrl: server.url, apiKey: undefined });
    expect(provider.capabilities('local-model').contextLength).toBe(8_192);
    await provider.learnContextLength?.('local-model');
    expect(provider.capabilities('local-model').contextLength).toBe(12_000);
    await Promise.all([provider.learnContextLength?.('local-model'), provider.learnContextLength?.('local-model')]);
    expect(server.count('/v1/models')).toBe(1);
    expect(server.count('/props')).toBe(0);
  });

  it("prefers llama-server's running n_ctx (/props) over the trained length its model list states, with the key only to its own origin", async () => {
    const server = await openAiServer('props', 6_144);
    const provider = createOpenAiProvider({ id: 'llama', baseUrl: server.url, apiKey: 'sk-local' });
    await provider.learnContextLength?.('local-model');
    expect(provider.capabilities('local-model').contextLength).toBe(6_144);
    expect(server.requests.map((request) => [request.method, request.path, request.apiKey])).toEqual([
      ['GET', '/v1/models', 'sk-local'],
      ['GET', '/props', 'sk-local'],
    ]);
  });

  it('keeps a configured window and asks nothing', async () => {
    const server = await openAiServer('max_model_len', 12_000);
    const provider = createOpenAiProvider({ id: 'vllm', baseUrl: server.url, apiKey: undefined, contextLengths: { 'local-model': 4_096 } });
    await provider.learnContextLength?.('local-model');
    expect(provider.capabilities('local-model').contextLength).toBe(4_096);
    expect(server.count()).toBe(0);
  });

  it('gives up on a server that never answers /props within the bound, keeps the default, and does not ask again at once', async () => {
    const server = await openAiServer('nowhere', 6_144, { 'GET /props': [{ hang: true }] });
    const provider = createOpenAiProvider({ id: 'slow', baseUrl: server.url, apiKey: undefined });
    const started = performance.now();
    await provider.learnContextLength?.('local-model');
    const waited = performance.now() - started;
    expect(waited).toBeLessThan(3_500);
    expect(waited).toBeGreaterThanOrEqual(1_900);
    expect(provider.capabilities('local-model').contextLength).toBe(8_192);
    await provider.learnContextLength?.('local-model');
    expect(server.count('/props')).toBe(1);
  });

  it('keeps the default when the server states no window anywhere', async () => {
    const server = await openAiServer('nowhere', 6_144);
    const provider = createOpenAiProvider({ id: 'plain', baseUrl: server.url, apiKey: undefined });
    await provider.learnContextLength?.('local-model');
    expect(provider.capabilities('local-model').contextLength).toBe(8_192);
    expect(server.count('/props')).toBe(1);
  });
});

describe('learnContextLength (Ollama)', () => {
  it('learns a trained length under 8,192 from /api/show; a longer one still runs with num_ctx 8,192', async () => {
    const server = await startFakeOllamaServer({ models: [{ name: 'small:1b', contextLength: 4_096 }, { name: 'big:8b', contextLength: 131_072 }] });
    servers.push(server);
    const provider = createOllamaProvider({ id: 'ollama', baseUrl: server.url });
    await provider.learnContextLength?.('small:1b');
    await provider.learnContextLength?.('big:8b');
    expect(provider.capabilities('small:1b').contextLength).toBe(4_096);
    expect(provider.capabilities('big:8b').contextLength).toBe(8_192);
    await provider.learnContextLength?.('small:1b');
    expect(server.count('/api/show')).toBe(2);
  });

  it('asks nothing for a model run with a configured num_ctx', async () => {
    const server = await startFakeOllamaServer({ models: [{ name: 'small:1b', contextLength: 4_096 }] });
    servers.push(server);
    const provider = createOllamaProvider({ id: 'ollama', baseUrl: server.url, contextLengths: { 'small:1b': 2_048 } });
    await provider.learnContextLength?.('small:1b');
    expect(provider.capabilities('small:1b').contextLength).toBe(2_048);
    expect(server.count()).toBe(0);
  });
});

describe('LearnedWindows', () => {
  it('asks again after a failure only once a minute has passed', async () => {
    let now = 0;
    const windows = new LearnedWindows({ now: () => now, timeoutMs: 50 });
    let asked = 0;
    const fail = async (): Promise<number | undefined> => {
      asked += 1;
      return undefined;
    };
    await windows.learn('m', fail);
    await windows.learn('m', fail);
    expect(asked).toBe(1);
    now = 61_000;
    await windows.learn('m', async () => {
      asked += 1;
      return 16_384;
    });
    expect(asked).toBe(2);
    expect(windows.get('m')).toBe(16_384);
  });
  it('asks again after a failure when the clock was set back since, not once it passes the failure\'s time again', async () => {
    let now = 10_000_000;
    const windows = new LearnedWindows({ now: () => now, timeoutMs: 50 });
    let asked = 0;
    await windows.learn('m', async () => {
      asked += 1;
      return undefined;
    });
    now -= 3_600_000; // back an hour
    await windows.learn('m', async () => {
      asked += 1;
      return 16_384;
    });
    expect(asked).toBe(2);
    expect(windows.get('m')).toBe(16_384);
  });
});
