/**
 * CPU time per call that the model-call seam spends itself, with no network: the adapter is an
 * in-memory one that yields a fixed answer (3 text chunks, usage, finish) at once, so every
 * microsecond measured is ours. Complements bench:router-overhead (wall time against a loopback
 * server), whose ratios a loaded machine makes noisy; CPU time per call is what changes move.
 *
 *   npx node bench/routerCpu.ts [--calls 5000] [--warmup 1000] [--repeats 5]
 *
 * Sides, each run `--calls` times sequentially after `--warmup` calls, `--repeats` rounds
 * interleaved; the figure is process.cpuUsage (user + system) over the round / calls, median of
 * the rounds (and the best round: on a loaded machine other processes only ever add to it):
 * - bare:    the in-memory adapter consumed directly (the floor: iterating its chunks).
 * - router:  `new Router(deps)` with constant configuration, attempts pushed to an array.
 * - gateway: `new ModelGateway(...)` wired as createCore wires it: providers, routing and
 *            strategies read through ProviderRepository / RoutingRepository, the privacy mode
 *            through SettingsRepository, attempts recorded by AttemptRepository, all on a temp
 *            SQLite file opened by openDatabase.
 * - sse:     the same three over the real openai SDK, its stream parsed from an in-memory fetch
 *            that answers with a server's SSE body (no socket): the direct SDK (their floor),
 *            our OpenAI adapter over it, the router over that adapter, and the gateway over it
 *            (the product path).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import OpenAI from 'openai';
import type { ProviderConfig } from '../src-shared/domain/provider.ts';
import { ModelGateway } from '../src-main/gateway/ModelGateway.ts';
import type { AttemptRecord, ChatChunk } from '../src-main/modelCall/modelCallTypes.ts';
import type { LlmProvider } from '../src-main/providers/LlmProvider.ts';
import { createOpenAiProvider } from '../src-main/providers/openaiProvider.ts';
import { providerDescriptors } from '../src-main/providers/descriptors/providerDescriptors.ts';
import { ProviderRegistry } from '../src-main/providers/descriptors/ProviderRegistry.ts';
import { Router } from '../src-main/router/Router.ts';
import { openDatabase } from '../src-main/store/openDatabase.ts';
import { ProviderRepository } from '../src-main/store/ProviderRepository.ts';
import { RoutingRepository } from '../src-main/store/RoutingRepository.ts';
import { SettingsRepository } from '../src-main/store/SettingsRepository.ts';

const model = 'bench-model';
const messages = [{ role: 'user' as const, content: 'Say hello.' }];
const answer: ChatChunk[] = [
  { type: 'text', text: 'Hello' },
  { type: 'text', text: ' from the' },
  { type: 'text', text: ' bench.' },
  { type: 'usage', inputTokens: 5, outputTokens: 3 },
  { type: 'finish', reason: 'stop' },
];

function memoryProvider(id: string): LlmProvider {
  return {
    id,
    type: 'openai',
    listModels: async () => [{ id: model }],
    health: async () => ({ ok: true, detail: 'memory' }),
    async *chat() {
      yield* answer;
    },
    capabilities: () => ({ contextLength: 128_000, structuredOutput: true, streaming: true }),
  };
}

const config: ProviderConfig = { id: 'bench', type: 'openai', label: 'bench', location: 'local', baseUrl: 'http://127.0.0.1:9/v1', models: [model], limits: {}, enabled: true };

/** The same answer as an OpenAI-compatible server streams it (3 content chunks, usage, [DONE]). */
const sseBody = (() => {
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }], usage: null })}\n\n`;
  return [
    chunk({ role: 'assistant', content: 'Hello' }, null),
    chunk({ content: ' from the' }, null),
    chunk({ content: ' bench.' }, 'stop'),
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } })}\n\n`,
    'data: [DONE]\n\n',
  ].join('');
})();
/** A fetch answering every chat request with sseBody at once: the SDK's parsing, no network. */
const memoryFetch = async (): Promise<Response> => new Response(sseBody, { status: 200, headers: { 'content-type': 'text/event-stream' } });
const sseBaseUrl = 'http://127.0.0.1:9/v1';

interface Side {
  label: string;
  run(): Promise<void>;
  close(): void;
}

function bareSide(): Side {
  const provider = memoryProvider('bench');
  return {
    label: 'bare adapter (floor)',
    async run() {
      let text = '';
      for await (const chunk of provider.chat({ model, messages }, new AbortController().signal)) if (chunk.type === 'text') text += chunk.text;
      if (text.length === 0) throw new Error('bare: no text');
    },
    close() {},
  };
}

/** The openai SDK over the in-memory fetch, no adapter: the floor of the sse sides. */
function sdkSide(): Side {
  const client = new OpenAI({ baseURL: sseBaseUrl, apiKey: 'bench-key', maxRetries: 0, fetch: memoryFetch });
  return {
    label: 'sse: direct openai SDK',
    async run() {
      const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      if (text.length === 0) throw new Error('sdk: no text');
    },
    close() {},
  };
}

/** Our OpenAI adapter over the same SDK and fetch, no router: the adapter's own share. */
function adapterSide(): Side {
  const provider = createOpenAiProvider({ id: 'bench', baseUrl: sseBaseUrl, apiKey: 'bench-key', models: [model], fetch: memoryFetch });
  return {
    label: 'sse: openai adapter',
    async run() {
      let text = '';
      for await (const chunk of provider.chat({ model, messages }, new AbortController().signal)) if (chunk.type === 'text') text += chunk.text;
      if (text.length === 0) throw new Error('adapter: no text');
    },
    close() {},
  };
}

function routerSide(sse = false): Side {
  const provider = sse ? createOpenAiProvider({ id: 'bench', baseUrl: sseBaseUrl, apiKey: 'bench-key', models: [model], fetch: memoryFetch }) : memoryProvider('bench');
  const memory: AttemptRecord[] = [];
  const router = new Router({
    providers: () => [config],
    routing: () => ({}),
    privacyMode: () => 'local-only',
    provider: () => provider,
    defaultModel: (c) => c.models[0],
    hasKey: () => true,
    recordAttempt: (record) => {
      if (memory.push(record) > 1000) memory.splice(0);
    },
  });
  return {
    label: sse ? 'sse: router over the adapter' : 'router alone',
    async run() {
      const result = await router.chat({ task: 'code', messages });
      if (result.attempts[0]?.outcome !== 'ok') throw new Error('router: not ok');
    },
    close() {},
  };
}

function gatewaySide(dbDir: string, sse = false): Side {
  const db = openDatabase(join(dbDir, `cpu-${Date.now()}-${Math.random().toString(36).slice(2)}.db`));
  const settings = new SettingsRepository(db);
  settings.set({ privacyMode: 'local-only' });
  const storedProviders = new ProviderRepository(db);
  storedProviders.add(config);
  const storedRouting = new RoutingRepository(db);
  const gateway = new ModelGateway({
    db,
    providers: () => storedProviders.list().providers,
    routing: () => storedRouting.get(),
    strategies: () => storedRouting.strategies(),
    privacyMode: () => settings.get().privacyMode,
    configFromStore: true,
    registry: new ProviderRegistry(providerDescriptors),
    secrets: { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false },
    env: {},
    modelDirs: [],
    pricing: { asOf: 'bench', prices: new Map() },
    createProvider: (c) => (sse ? createOpenAiProvider({ id: c.id, baseUrl: sseBaseUrl, apiKey: 'bench-key', models: [model], fetch: memoryFetch }) : memoryProvider(c.id)),
  });
  return {
    label: sse ? 'sse: gateway over the adapter' : 'gateway (repositories on SQLite)',
    async run() {
      const result = await gateway.chat({ task: 'code', messages });
      if (result.attempts[0]?.outcome !== 'ok') throw new Error('gateway: not ok');
    },
    close() {
      void gateway.close().then(() => db.close());
    },
  };
}

async function cpuPerCall(side: Side, calls: number): Promise<number> {
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i++) await side.run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '5000' }, warmup: { type: 'string', default: '1000' }, repeats: { type: 'string', default: '5' }, only: { type: 'string' } } });
  const calls = Number(values.calls);
  const warmup = Number(values.warmup);
  const repeats = Number(values.repeats);
  const dbDir = mkdtempSync(join(tmpdir(), 'sc-bench-router-cpu-'));
  // --only router|gateway|sse: those sides and the floor (for --cpu-prof).
  const sides = [bareSide(), routerSide(), gatewaySide(dbDir), sdkSide(), adapterSide(), routerSide(true), gatewaySide(dbDir, true)].filter(
    (side, index) => index === 0 || values.only === undefined || side.label.startsWith(values.only),
  );
  process.stdout.write(`Router CPU: ${calls} calls per side per round after ${warmup} warm-up, ${repeats} rounds; Node ${process.versions.node}; load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}\n`);
  try {
    for (const side of sides) await cpuPerCall(side, warmup);
    const rounds: number[][] = sides.map(() => []);
    for (let round = 0; round < repeats; round++) {
      for (let k = 0; k < sides.length; k++) {
        const index = (round + k) % sides.length;
        rounds[index]?.push(await cpuPerCall(sides[index] as Side, calls));
      }
    }
    const floor = median(rounds[0] ?? []);
    const width = Math.max(...sides.map((side) => side.label.length));
    sides.forEach((side, index) => {
      const perCall = median(rounds[index] ?? []);
      const rounded = (rounds[index] ?? []).map((v) => v.toFixed(1)).join(', ');
      const best = Math.min(...(rounds[index] ?? []));
      process.stdout.write(`${side.label.padEnd(width)}  median ${perCall.toFixed(1).padStart(6)} µs/call CPU (+${(perCall - floor).toFixed(1)} over the floor), best ${best.toFixed(1)}; rounds ${rounded}\n`);
    });
  } finally {
    for (const side of sides) side.close();
    setTimeout(() => rmSync(dbDir, { recursive: true, force: true }), 50);
  }
}

await main();
