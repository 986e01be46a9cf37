import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OllamaPullProgress } from '../../../src-shared/domain/ollama.ts';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { EventBus } from '../../../src-main/events/EventBus.ts';
import { OllamaError } from '../../../src-main/providers/OllamaError.ts';
import { OllamaService } from '../../../src-main/providers/OllamaService.ts';
import { layerPullSteps, startFakeOllamaServer, type FakeOllamaOptions, type FakeOllamaServer } from '../../support/fakes/fakeOllamaServer.ts';

// Ollama management against the protocol-level fake on 127.0.0.1 (NDJSON pull progress, tags,
// show, delete): no real Ollama exists on this machine.

const servers: FakeOllamaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function fake(options: FakeOllamaOptions = {}): Promise<FakeOllamaServer> {
  const server = await startFakeOllamaServer(options);
  servers.push(server);
  return server;
}

function service(server: FakeOllamaServer): { ollama: OllamaService; events: OllamaPullProgress[] } {
  const bus = new EventBus();
  const events: OllamaPullProgress[] = [];
  bus.subscribe((event, payload) => {
    if (event === 'ollama.pullProgress') events.push(payload as OllamaPullProgress);
  });
  const config: ProviderConfig = { id: 'ollama', type: 'ollama', label: 'Ollama', location: 'local', baseUrl: server.url, models: [], limits: {}, enabled: true };
  return { ollama: new OllamaService({ bus, providers: () => [config], progressEveryMs: 0 }), events };
}

const host = (server: FakeOllamaServer): string => new URL(server.url).host;

describe('OllamaService', () => {
  it('says in words whether Ollama runs: its version, or how to start it (never "fetch failed")', async () => {
    const server = await fake({ version: '0.9.1' });
    const { ollama } = service(server);
    expect(await ollama.status()).toEqual({ running: true, host: host(server), version: '0.9.1', providerId: 'ollama', message: `Ollama 0.9.1 is running at ${host(server)}` });

    await server.close();
    const down = await ollama.status();
    expect(down).toEqual({ running: false, host: host(server), providerId: 'ollama', message: `Ollama is not running at ${host(server)}: start the Ollama app or \`ollama serve\`` });
    expect(down.message).not.toMatch(/fetch failed|ECONNREFUSED/);
    await expect(ollama.models()).resolves.toEqual({ status: down, models: [] });
  });

  it('lists installed models with size, parameters, quantisation and the context length /api/show reports', async () => {
    const server = await fake({
      models: [
        { name: 'qwen2.5-coder:7b', size: 4_683_087_332, family: 'qwen2', parameterSize: '7.6B', quantization: 'Q4_K_M', contextLength: 32_768 },
        { name: 'tiny:latest', size: 1_000 },
      ],
    });
    const { models } = await service(server).ollama.models();
    expect(models).toEqual([
      { name: 'qwen2.5-coder:7b', sizeBytes: 4_683_087_332, family: 'qwen2', parameterSize: '7.6B', quantization: 'Q4_K_M', contextLength: 32_768, modifiedAt: expect.any(String) },
      { name: 'tiny:latest', sizeBytes: 1_000, family: 'llama', parameterSize: '3.2B', quantization: 'Q4_K_M', modifiedAt: expect.any(String) },
    ]);
  });

  it("gives the catalogue's fit for this machine from Ollama's size and layer shape: on a 16 GB laptop a 7B runs on the CPU, a 70B is too big", async () => {
    const server = await fake({
      models: [
        { name: 'qwen2.5-coder:7b', size: 4_683_087_332, family: 'qwen2', contextLength: 32_768, shape: { layers: 28, heads: 28, kvHeads: 4, embeddingLength: 3584 } },
        { name: 'llama3.3:70b', size: 42_520_412_561, family: 'llama', contextLength: 131_072, shape: { layers: 80, heads: 64, kvHeads: 8, embeddingLength: 8192 } },
        { name: 'no-shape:latest', size: 1_000_000 },
      ],
    });
    const bus = new EventBus();
    const laptop = { gpu: false as const, vramBytes: 0, ramBytes: 16 * 1024 ** 3, freeRamBytes: 12 * 1024 ** 3, cores: 8, source: 'override' as const };
    const config: ProviderConfig = { id: 'ollama', type: 'ollama', label: 'Ollama', location: 'local', baseUrl: server.url, models: [], limits: {}, enabled: true };
    const ollama = new OllamaService({ bus, providers: () => [config], hardware: async () => laptop });
    const { models } = await ollama.models();
    const fits = Object.fromEntries(models.map((model) => [model.name, model.fit]));
    expect(fits['qwen2.5-coder:7b']).toMatchObject({ verdict: 'cpu', label: 'runs on CPU, slower', totalLayers: 29, gpuLayers: 0, source: 'catalogue', note: expect.stringContaining('size Ollama reports') });
    expect(fits['qwen2.5-coder:7b']?.contextSize).toBeGreaterThanOrEqual(4096);
    expect(fits['llama3.3:70b']).toMatchObject({ verdict: 'too-big', label: 'too big', contextSize: 0 });
    expect(fits['no-shape:latest']).toBeUndefined();
  });

  it('pull: progress streamed as events with bytes summed over layers, then done, and the model is listed', async () => {
    const steps = [
      { status: 'pulling manifest' },
      ...layerPullSteps(1_000, 4, 'sha256:aaaa00000000000'),
      ...layerPullSteps(3_000, 2, 'sha256:bbbb00000000000').slice(1, -2),
      { status: 'verifying sha256 digest' },
      { status: 'writing manifest' },
    ];
    const server = await fake({ models: [], pull: { steps, chunkDelayMs: 2 } });
    const { ollama, events } = service(server);
    const { pullId, done } = ollama.pull('qwen2.5-coder:1.5b');
    const last = await done;
    expect(last).toMatchObject({ pullId, name: 'qwen2.5-coder:1.5b', state: 'done', status: 'success', completedBytes: 4_000, totalBytes: 4_000 });
    const running = events.filter((event) => event.state === 'running');
    expect(running.length).toBeGreaterThanOrEqual(8);
    expect(running[0]).toMatchObject({ status: 'pulling manifest', completedBytes: 0, totalBytes: null });
    const bytes = running.map((event) => event.completedBytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(running.some((event) => event.completedBytes === 500 && event.totalBytes === 1_000)).toBe(true);
    expect(events.at(-1)).toEqual(last);
    expect(server.modelNames()).toEqual(['qwen2.5-coder:1.5b']);
  });

  it('pull: progress keeps coming within a layer after the clock is set back during it (not only at the next step)', async () => {
    const steps = layerPullSteps(1_000, 4, 'sha256:aaaa00000000000');
    const server = await fake({ models: [], pull: { steps, chunkDelayMs: 30 } });
    const { ollama, events } = service(server);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const start = Date.parse('2026-12-03T12:00:00.000Z');
      vi.setSystemTime(start);
      // The clock goes back an hour once the layer's download has begun.
      const { done } = ollama.pull('qwen2.5-coder:1.5b');
      await vi.waitUntil(() => events.some((event) => event.totalBytes === 1_000), { timeout: 5_000, interval: 1 });
      vi.setSystemTime(start - 3_600_000);
      expect(await done).toMatchObject({ state: 'done', completedBytes: 1_000 });
    } finally {
      vi.useRealTimers();
    }
    const layer = events.filter((event) => event.state === 'running' && event.totalBytes === 1_000).map((event) => event.completedBytes);
    expect(layer).toEqual(expect.arrayContaining([250, 500, 750]));
  });

  it('cancel closes the connection: the fake sees it closed, stops writing, and the pull ends cancelled', async () => {
    const steps = layerPullSteps(10_000_000, 400);
    const server = await fake({ models: [], pull: { steps, chunkDelayMs: 5 } });
    const { ollama, events } = service(server);
    const { pullId, done } = ollama.pull('big:70b');
    await expect.poll(() => events.some((event) => event.completedBytes > 0), { timeout: 5_000 }).toBe(true);
    expect(ollama.cancelPull(pullId)).toBe(true);
    const last = await done;
    expect(last).toMatchObject({ state: 'cancelled', message: 'The pull of big:70b was cancelled' });
    expect(last.completedBytes).toBeLessThan(10_000_000);
    const pullRequest = server.requests.findIndex((request) => request.path === '/api/pull');
    expect(await server.settled(pullRequest)).toBe('client-closed');
    const written = server.pullLinesWritten();
    expect(written).toBeLessThan(steps.length);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.pullLinesWritten()).toBe(written);
    expect(server.modelNames()).toEqual([]);
    expect(ollama.cancelPull(pullId)).toBe(false);
  });

  it("a pull Ollama refuses in its stream fails with Ollama's words; one that is cut off says so", async () => {
    const refused = await fake({ pull: { steps: [{ status: 'pulling manifest' }], error: 'pull model manifest: file does not exist' } });
    expect(await service(refused).ollama.pull('no-such-model').done).toMatchObject({
      state: 'failed',
      message: 'Ollama could not pull no-such-model: pull model manifest: file does not exist',
    });
    const cut = await fake({ routeScript: { 'POST /api/pull': [{ resetBeforeFirstToken: true, afterHeaders: true }] } });
    const failed = await service(cut).ollama.pull('m').done;
    expect(failed.state).toBe('failed');
    expect(failed.message).toMatch(/^(The pull of m from Ollama at .* ended before it finished|Ollama at .* could not be reached)/);
  });

  it('delete removes a model; an absent one is NOT_FOUND in words', async () => {
    const server = await fake({ models: ['a:1', 'b:2'] });
    const { ollama } = service(server);
    await expect(ollama.delete('a:1')).resolves.toEqual({ name: 'a:1' });
    expect(server.modelNames()).toEqual(['b:2']);
    const error = await ollama.delete('a:1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OllamaError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', failure: 'not-found', message: `Ollama at ${host(server)} has no such model: model 'a:1' not found` });
  });
});
