/**
 * What the model-call seam adds to a model call: the gateway (as every service calls it: keys,
 * adapter registry, router, attempts recorded in SQLite, pricing) over the OpenAI adapter vs a
 * direct `openai` SDK call, both against the same loopback OpenAI-compatible server.
 *
 *   npx node bench/routerOverhead.ts [--requests 1000] [--warmup 50] [--block 10] [--repeats 3] [--only LABEL-TEXT]
 *
 * The server is written here (not the test fake) and runs in a worker thread, so it has its own
 * event loop and does not queue behind the client's: every chat request gets one precomputed SSE
 * body at once (3 content chunks, the last with finish_reason, a usage chunk, `[DONE]`).
 *
 * Sides, each with its own keep-alive client:
 * - direct:        `new OpenAI({ baseURL, apiKey, maxRetries: 0 })`, `chat.completions.create`
 *                  with `stream: true, stream_options: { include_usage: true }`, stream consumed:
 *                  the SDK as it comes, over Node's fetch. The goals are against this side.
 * - direct over providerFetch: the same SDK call given the fetch our adapters send through
 *                  (providerFetch: undici's request API, not WHATWG fetch). Every side below sends
 *                  through it, so against this side they show the seam's own share (no goal).
 * - gateway:       `new ModelGateway(...)` wired as createCore wires it, over one local OpenAI-type
 *                  provider created through its descriptor (the adapter module imported on first
 *                  use), on a temp SQLite file opened by openDatabase (WAL): the provider, routing
 *                  and strategies read through ProviderRepository / RoutingRepository and the
 *                  privacy mode through SettingsRepository on every call, attempts recorded in a
 *                  real AttemptRepository, prices looked up: the product configuration.
 * - gateway + controls: the same over a priced cloud target with every control on: a budget
 *                  (reserve and release), rate limits (a slot in the shared window), the response
 *                  cache (a lookup that misses, then the answer kept: each prompt is new) and the
 *                  audit trail (one hash-chained row per request).
 * - router+memory: `new Router(deps)` alone, attempts pushed to an array (no gateway, no store).
 * - adapter:       our createOpenAiProvider consumed directly, no router: splits the adapter's
 *                  share of the overhead from the router's.
 * Inside the router sides, each `recordAttempt` call is timed too (the store's share).
 *
 * A sample is the wall time of one complete request, from the call until the stream is fully
 * consumed. After a warm-up of `--warmup` requests per side, `--requests` per side run
 * sequentially in blocks of `--block` (e.g. 10 A, 10 B, 10 C, 10 D), the order rotating every block so
 * no side always goes first and machine noise hits all sides alike. The whole measurement
 * (fresh clients, routers and database) is repeated `--repeats` times; the verdict uses the
 * median over the repeats. Goals: p50 gateway/direct ≤ 1.05x, added time at p99 ≤ 1 ms.
 * Each side's time is also split (undici's diagnostics channels) into before the request, server and
 * socket, and after the answer. Exits 1 when the gateway side (the product configuration) misses either goal. The load average
 * before and after is printed: a busy machine widens every tail.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import diagnostics from 'node:diagnostics_channel';
import OpenAI from 'openai';
import type { ProviderConfig } from '../src-shared/domain/provider.ts';
import type { LlmProvider } from '../src-main/providers/LlmProvider.ts';
import { createOpenAiProvider } from '../src-main/providers/openaiProvider.ts';
import { providerFetch } from '../src-main/providers/providerFetch.ts';
import { ModelGateway } from '../src-main/gateway/ModelGateway.ts';
import { providerDescriptors } from '../src-main/providers/descriptors/providerDescriptors.ts';
import { ProviderRegistry } from '../src-main/providers/descriptors/ProviderRegistry.ts';
import { Router } from '../src-main/router/Router.ts';
import { openDatabase } from '../src-main/store/openDatabase.ts';
import { ProviderRepository } from '../src-main/store/ProviderRepository.ts';
import { RoutingRepository } from '../src-main/store/RoutingRepository.ts';
import { SettingsRepository } from '../src-main/store/SettingsRepository.ts';
import type { AttemptRecord } from '../src-main/modelCall/modelCallTypes.ts';
import { type RouterDeps } from '../src-main/router/routerTypes.ts';
import { expectedText, model, startLoopbackChatServer } from './support/loopbackChatServer.ts';

const messages = [{ role: 'user' as const, content: 'Say hello.' }];
const sameTransportLabel = 'direct openai SDK over providerFetch';

// ---------------------------------------------------------------------------------------------
// The client sides (main thread)

/**
 * Where a sample's time goes, from undici's diagnostics channels: `pre` from the call to the
 * HTTP request being created (our code and the SDK before anything is sent), `mid` until the
 * response's trailers (the server and the socket), `post` from there until the stream is
 * consumed and the call has returned (parsing, our bookkeeping after the answer).
 */
const marks = { create: 0, trailers: 0 };
diagnostics.subscribe('undici:request:create', () => {
  marks.create = performance.now();
});
diagnostics.subscribe('undici:request:trailers', () => {
  marks.trailers = performance.now();
});

interface Side {
  label: string;
  phases: { pre: number[]; mid: number[]; post: number[] };
  /** One complete request; resolves once the stream is fully consumed and checked. */
  run(): Promise<void>;
  close(): void;
  /** Router sides: milliseconds spent in each `recordAttempt` call (timing inside the request). */
  recordMs?: number[];
  /** This process's CPU time (user + system, µs) over this side's blocks, and their requests. */
  cpu?: { micros: number; requests: number };
}

/**
 * The direct SDK call; with `overAdapterTransport`, the SDK given the fetch our adapters send
 * through (providerFetch): against it the other sides show what the seam itself adds, the
 * transport left out.
 */
function directSide(baseURL: string, overAdapterTransport = false): Side {
  const client = new OpenAI({ baseURL, apiKey: 'bench-key', maxRetries: 0, ...(overAdapterTransport ? { fetch: providerFetch } : {}) });
  return {
    label: overAdapterTransport ? sameTransportLabel : 'direct openai SDK',
    phases: { pre: [], mid: [], post: [] },
    async run() {
      const stream = await client.chat.completions.create({ model, messages, stream: true, stream_options: { include_usage: true } });
      let text = '';
      let usage = 0;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (chunk.usage) usage = chunk.usage.completion_tokens;
      }
      if (text !== expectedText || usage !== 3) throw new Error(`direct: unexpected answer ${JSON.stringify(text)} (${usage} tokens)`);
    },
    close() {},
  };
}

/** Our OpenAI adapter consumed directly, without the router: splits adapter from router cost. */
function adapterSide(baseURL: string): Side {
  const provider = createOpenAiProvider({ id: 'bench', baseUrl: baseURL, apiKey: 'bench-key', models: [model] });
  return {
    label: 'openai adapter, no router',
    phases: { pre: [], mid: [], post: [] },
    async run() {
      let text = '';
      let usage = 0;
      for await (const chunk of provider.chat({ model, messages }, new AbortController().signal)) {
        if (chunk.type === 'text') text += chunk.text;
        if (chunk.type === 'usage') usage = chunk.outputTokens;
      }
      if (text !== expectedText || usage !== 3) throw new Error(`adapter: unexpected answer ${JSON.stringify(text)} (${usage} tokens)`);
    },
    close() {},
  };
}

function benchConfig(baseURL: string): ProviderConfig {
  return {
    id: 'bench',
    type: 'openai',
    label: 'bench',
    location: 'local',
    baseUrl: baseURL,
    models: [model],
    limits: {},
    enabled: true,
  };
}

/**
 * The product path: the gateway as createCore builds it, attempts in SQLite. With `controls` the
 * provider is a priced cloud target with rate limits, under a budget, with the response cache on
 * (each prompt new, so every call looks up, misses and keeps its answer) and the audit trail
 * recording each request: every control of the gateway's path at work on every call.
 */
function gatewaySide(baseURL: string, dbDir: string, controls = false): Side {
  const config: ProviderConfig = controls ? { ...benchConfig(baseURL), location: 'cloud', apiKeyEnv: 'BENCH_KEY', limits: { requestsPerMinute: 100_000, tokensPerMinute: 100_000_000 } } : benchConfig(baseURL);
  const db = openDatabase(join(dbDir, `attempts-${Date.now()}-${Math.random().toString(36).slice(2)}.db`));
  const settings = new SettingsRepository(db);
  settings.set(controls ? { privacyMode: 'cloud-allowed', responseCache: { enabled: true, ttlHours: 24, maxMegabytes: 256 } } : { privacyMode: 'local-only' });
  const storedProviders = new ProviderRepository(db);
  storedProviders.add(config);
  const storedRouting = new RoutingRepository(db);
  const gateway = new ModelGateway({
    db,
    providers: () => storedProviders.list().providers,
    routing: () => storedRouting.get(),
    strategies: () => storedRouting.strategies(),
    privacyMode: () => settings.get().privacyMode,
    registry: new ProviderRegistry(providerDescriptors),
    secrets: { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false },
    env: controls ? { BENCH_KEY: 'bench-key' } : {},
    modelDirs: [],
    pricing: { asOf: 'bench', prices: controls ? new Map([[model, { inputPerMillion: 1, outputPerMillion: 2 }]]) : new Map() },
    responseCache: () => settings.get().responseCache,
    configFromStore: true,
    auditHeadFile: join(dbDir, `audit-head-${Math.random().toString(36).slice(2)}.json`),
  });
  if (controls) gateway.controls.budgets.set({ scope: 'overall', scopeId: '', period: 'month', limitUsd: 1_000_000 });
  let asked = 0;
  return {
    label: controls ? 'gateway + budget, cache, rate limits, audit' : 'gateway + router + SQLite attempts',
    phases: { pre: [], mid: [], post: [] },
    async run() {
      const result = await gateway.chat({ task: 'code', messages: controls ? [{ role: 'user', content: `Say hello. (${asked++})` }] : messages });
      if (result.text !== expectedText || result.outputTokens !== 3 || result.attempts[0]?.outcome !== 'ok' || result.attempts[0]?.cacheHit) {
        throw new Error(`gateway: unexpected answer ${JSON.stringify(result.text)} (${result.outputTokens} tokens, ${result.attempts[0]?.outcome})`);
      }
    },
    close() {
      void gateway.close().then(() => db.close());
    },
  };
}

/** The router alone (no gateway, attempts in memory): splits the router's share from the gateway's. */
function routerSide(baseURL: string): Side {
  const config = benchConfig(baseURL);
  const provider: LlmProvider = createOpenAiProvider({ id: config.id, baseUrl: baseURL, apiKey: 'bench-key', models: [model] });
  const memory: AttemptRecord[] = [];
  const recordMs: number[] = [];
  const deps: RouterDeps = {
    providers: () => [config],
    routing: () => ({}),
    privacyMode: () => 'local-only',
    provider: () => provider,
    defaultModel: (c) => c.models[0],
    hasKey: () => true,
    recordAttempt: (record) => {
      const started = performance.now();
      memory.push(record);
      recordMs.push(performance.now() - started);
    },
  };
  const router = new Router(deps);
  return {
    label: 'router alone + in-memory attempts',
    phases: { pre: [], mid: [], post: [] },
    recordMs,
    async run() {
      const result = await router.chat({ task: 'code', messages });
      if (result.text !== expectedText || result.outputTokens !== 3 || result.attempts[0]?.outcome !== 'ok') {
        throw new Error(`router: unexpected answer ${JSON.stringify(result.text)} (${result.outputTokens} tokens, ${result.attempts[0]?.outcome})`);
      }
    },
    close() {},
  };
}

// ---------------------------------------------------------------------------------------------
// Measurement

interface Stats {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

function percentile(sorted: number[], p: number): number {
  // Nearest-rank: the smallest sample with at least p% of the samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: samples.reduce((sum, value) => sum + value, 0) / samples.length,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Runs `perSide` requests per side in blocks of `block`, rotating which side goes first. */
async function interleave(sides: Side[], perSide: number, block: number): Promise<number[][]> {
  const samples: number[][] = sides.map(() => []);
  for (let blockNo = 0; blockNo * block < perSide; blockNo++) {
    const count = Math.min(block, perSide - blockNo * block);
    for (let k = 0; k < sides.length; k++) {
      const index = (blockNo + k) % sides.length;
      const side = sides[index] as Side;
      const into = samples[index] as number[];
      const cpuBefore = process.threadCpuUsage();
      for (let i = 0; i < count; i++) {
        const started = performance.now();
        await side.run();
        const ended = performance.now();
        into.push(ended - started);
        side.phases.pre.push(marks.create - started);
        side.phases.mid.push(marks.trailers - marks.create);
        side.phases.post.push(ended - marks.trailers);
      }
      const cpu = process.threadCpuUsage(cpuBefore);
      side.cpu ??= { micros: 0, requests: 0 };
      side.cpu.micros += cpu.user + cpu.system;
      side.cpu.requests += count;
    }
  }
  return samples;
}

const ms = (value: number) => value.toFixed(3);

function table(sides: Side[], all: Stats[]): string {
  const direct = all[0] as Stats;
  const width = Math.max(...sides.map((side) => side.label.length));
  const head = `${'side'.padEnd(width)}  ${['p50', 'p90', 'p99', 'mean'].map((h) => `${h} ms`.padStart(9)).join('')}  ${'p50 ratio'.padStart(9)}  ${'+p50 ms'.padStart(8)}  ${'+p99 ms'.padStart(8)}`;
  const rows = sides.map((side, index) => {
    const s = all[index] as Stats;
    const vsDirect = (text: string) => (index === 0 ? '-' : text);
    return (
      `${side.label.padEnd(width)}  ${[s.p50, s.p90, s.p99, s.mean].map((v) => ms(v).padStart(9)).join('')}  ` +
      `${vsDirect(`${(s.p50 / direct.p50).toFixed(3)}x`).padStart(9)}  ${vsDirect(ms(s.p50 - direct.p50)).padStart(8)}  ${vsDirect(ms(s.p99 - direct.p99)).padStart(8)}`
    );
  });
  const inside = sides
    .filter((side) => side.recordMs && side.recordMs.length > 0)
    .map((side) => {
      const r = stats(side.recordMs ?? []);
      return `  of which recordAttempt (${side.label}): p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  mean ${ms(r.mean)} ms`;
    });
  const phases = sides.map((side) => {
    const p50 = (values: number[]) => ms(stats(values).p50);
    return `  phases (p50 ms) of ${side.label.padEnd(width)}  before the request ${p50(side.phases.pre)}  server and socket ${p50(side.phases.mid)}  after the answer ${p50(side.phases.post)}`;
  });
  const cpu = sides.map((side) => `  CPU of the main thread per request, ${side.label.padEnd(width)}  ${side.cpu ? (side.cpu.micros / side.cpu.requests).toFixed(1) : '-'} µs`);
  return [head, ...rows, ...inside, ...phases, ...cpu].join('\n');
}

interface Tally {
  ratios: number[];
  addedP99: number[];
  /** p50 against the SDK over the same transport as the adapters: the seam's own share. */
  seamRatios: number[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '1000' },
      warmup: { type: 'string', default: '50' },
      block: { type: 'string', default: '10' },
      repeats: { type: 'string', default: '3' },
      // Profiling: keep only the direct side and the sides whose label contains this text.
      only: { type: 'string' },
    },
  });
  const requests = Number(values.requests);
  const warmup = Number(values.warmup);
  const block = Number(values.block);
  const repeats = Number(values.repeats);

  const server = await startLoopbackChatServer();
  const { baseURL } = server;
  const dbDir = mkdtempSync(join(tmpdir(), 'sc-bench-router-'));
  process.stdout.write(
    `Router overhead: ${requests} requests per side after ${warmup} warm-up each, sequential, blocks of ${block} rotating the first side, ` +
      `${repeats} repeats; server in a worker thread on ${baseURL}; Node ${process.versions.node}; load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}\n` +
      'Each sample: wall time of one complete streamed request (3 chunks + usage + [DONE]). Ratios and +ms are against the direct SDK call.\n\n',
  );

  const tallies = new Map<string, Tally>();
  try {
    for (let repeat = 1; repeat <= repeats; repeat++) {
      const sides = [directSide(baseURL), directSide(baseURL, true), adapterSide(baseURL), gatewaySide(baseURL, dbDir), routerSide(baseURL), gatewaySide(baseURL, dbDir, true)].filter(
        (side, index) => index <= 1 || values.only === undefined || side.label.includes(values.only),
      );
      try {
        await interleave(sides, warmup, block);
        for (const side of sides) {
          side.recordMs?.splice(0);
          delete side.cpu;
          for (const list of Object.values(side.phases)) list.splice(0);
        }
        const all = (await interleave(sides, requests, block)).map(stats);
        const direct = all[0] as Stats;
        const sameTransport = all[1] as Stats;
        sides.forEach((side, index) => {
          if (index === 0) return;
          const s = all[index] as Stats;
          const tally = tallies.get(side.label) ?? { ratios: [], addedP99: [], seamRatios: [] };
          tally.ratios.push(s.p50 / direct.p50);
          tally.addedP99.push(s.p99 - direct.p99);
          tally.seamRatios.push(s.p50 / sameTransport.p50);
          tallies.set(side.label, tally);
        });
        process.stdout.write(`repeat ${repeat} of ${repeats}\n${table(sides, all)}\n\n`);
      } finally {
        for (const side of sides) side.close();
      }
    }
  } finally {
    await server.close();
    rmSync(dbDir, { recursive: true, force: true });
  }

  const meets = (tally: Tally) => median(tally.ratios) <= 1.05 && median(tally.addedP99) <= 1;
  const width = Math.max(...[...tallies.keys()].map((label) => label.length));
  const lines = [...tallies].map(
    ([label, tally]) =>
      `${label.padEnd(width)}  p50 ratio ${tally.ratios.map((v) => v.toFixed(3)).join(', ')} -> median ${median(tally.ratios).toFixed(3)}x (goal <= 1.05x); ` +
      `+p99 ${tally.addedP99.map(ms).join(', ')} -> median ${ms(median(tally.addedP99))} ms (goal <= 1 ms)  ${meets(tally) ? 'OK' : 'MISSED'}`,
  );
  const seam = [...tallies]
    .filter(([label]) => label !== sameTransportLabel)
    .map(([label, tally]) => `${label.padEnd(width)}  p50 ratio ${tally.seamRatios.map((v) => v.toFixed(3)).join(', ')} -> median ${median(tally.seamRatios).toFixed(3)}x`);
  process.stdout.write(
    `Summary: medians of the ${repeats} repeats (load average now ${loadavg().map((v) => v.toFixed(2)).join(' ')})\n${lines.join('\n')}\n\n` +
      `The seam's own share: each side against the SDK over the adapters' transport (${sameTransportLabel}), no goal\n${seam.join('\n')}\n`,
  );
  // The goals hold for the product configuration and for it with every control on.
  for (const label of ['gateway + router + SQLite attempts', 'gateway + budget, cache, rate limits, audit']) {
    const tally = tallies.get(label);
    if (tally && !meets(tally)) process.exitCode = 1;
  }
}

await main();
