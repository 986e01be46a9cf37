/**
 * The response cache: a hit against a miss, through the gateway as the app builds it (createCore:
 * SQLite store, router, attempts, audit, the cache on), against a loopback OpenAI-compatible
 * server that answers at once (bench/support/loopbackChatServer.ts, in a worker thread).
 *
 *   npx node bench/cache.ts [--requests 500] [--warmup 50] [--block 10] [--repeats 5]
 *
 * A miss asks something never asked before (a counter in the prompt), so it goes to the server
 * and its answer is kept; a hit asks one of 20 prompts answered during the warm-up. Sides run
 * sequentially in rotating blocks; each repeat has a fresh data folder. Goals: hit p50 < 1 ms and
 * miss p50 / hit p50 >= 100 (medians over the repeats). Exits 1 when either is missed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../src-main/core/createCore.ts';
import { expectedText, model, startLoopbackChatServer } from './support/loopbackChatServer.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '500' }, warmup: { type: 'string', default: '50' }, block: { type: 'string', default: '10' }, repeats: { type: 'string', default: '5' } } });
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const block = Number(values.block);
const repeats = Number(values.repeats);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const median = (list: number[]) => percentile([...list].sort((a, b) => a - b), 50);

async function setUp(baseURL: string, dataDir: string): Promise<Core> {
  const core = createCore({ dataDir, host: 'cli', env: {}, secrets: { backend: 'memory', get: async () => undefined, set: async () => undefined, delete: async () => false, has: async () => false } });
  const call = async (channel: Parameters<Core['dispatch']>[0], input: unknown) => {
    const result = await core.dispatch(channel, input as never);
    if (!result.ok) throw new Error(result.error.message);
  };
  await call('settings.set', { privacyMode: 'local-only', responseCache: { enabled: true, ttlHours: 24, maxMegabytes: 256 } });
  await call('providers.add', { config: { id: 'bench', type: 'openai', label: 'bench', location: 'local', baseUrl: baseURL, models: [model], limits: {}, enabled: true } });
  return core;
}

async function main(): Promise<void> {
  const server = await startLoopbackChatServer();
  process.stdout.write(
    `Response cache: ${requests} hits and ${requests} misses per repeat after ${warmup} warm-up each, blocks of ${block}, ${repeats} repeats; ` +
      `Node ${process.versions.node}; load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}\n\n`,
  );
  const hitP50s: number[] = [];
  const missP50s: number[] = [];
  const ratios: number[] = [];
  try {
    for (let repeat = 1; repeat <= repeats; repeat++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'sc-bench-cache-'));
      const core = await setUp(server.baseURL, dataDir);
      let unique = 0;
      const ask = async (content: string, hit: boolean) => {
        const started = performance.now();
        const result = await core.gateway.chat({ task: 'code', messages: [{ role: 'user', content }] });
        const elapsed = performance.now() - started;
        if (result.text !== expectedText) throw new Error(`unexpected answer ${JSON.stringify(result.text)}`);
        if (result.attempts.at(-1)?.cacheHit !== (hit ? true : undefined)) throw new Error(`expected a ${hit ? 'hit' : 'miss'}`);
        return elapsed;
      };
      const hot = Array.from({ length: 20 }, (_, index) => `Say hello, number ${index}.`);
      for (const content of hot) await ask(content, false);
      const hits: number[] = [];
      const misses: number[] = [];
      const round = async (count: number, keep: boolean) => {
        for (let done = 0; done < count; done += block) {
          const sides = [async () => (keep ? hits : []).push(await ask(hot[done % hot.length] as string, true)), async () => (keep ? misses : []).push(await ask(`Say hello, fresh ${unique++}.`, false))];
          if ((done / block) % 2 === 1) sides.reverse();
          for (const side of sides) for (let i = 0; i < block; i++) await side();
        }
      };
      await round(warmup, false);
      await round(requests, true);
      hits.sort((a, b) => a - b);
      misses.sort((a, b) => a - b);
      const hit50 = percentile(hits, 50);
      const miss50 = percentile(misses, 50);
      hitP50s.push(hit50);
      missP50s.push(miss50);
      ratios.push(miss50 / hit50);
      process.stdout.write(
        `repeat ${repeat}: hit p50 ${(hit50 * 1000).toFixed(2)} µs p99 ${(percentile(hits, 99) * 1000).toFixed(1)} µs; miss p50 ${miss50.toFixed(3)} ms p99 ${percentile(misses, 99).toFixed(3)} ms; miss/hit ${(miss50 / hit50).toFixed(1)}x\n`,
      );
      await core.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    await server.close();
  }
  const hit = median(hitP50s);
  const ratio = median(ratios);
  const ok = hit < 1 && ratio >= 100;
  process.stdout.write(
    `\nSummary (medians of ${repeats} repeats; load average now ${loadavg().map((v) => v.toFixed(2)).join(' ')}): hit p50 ${(hit * 1000).toFixed(2)} µs (goal < 1 ms), ` +
      `miss p50 ${median(missP50s).toFixed(3)} ms, miss/hit ${ratio.toFixed(1)}x (goal >= 100x)  ${ok ? 'OK' : 'MISSED'}\n`,
  );
  if (!ok) process.exitCode = 1;
}

await main();
