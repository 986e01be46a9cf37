/**
 * Tokens per second through our llama.cpp provider vs raw node-llama-cpp, on the same model.
 *
 *   npx node bench/localTokens.ts [--runs 7] [--tokens 64] [--threads N] [--keep DIR]
 *
 * The model is a ~100M-parameter random-weight llama GGUF (F32, ~400 MB) written to a temp dir
 * by test/fixtures/makeTinyGguf.ts, so nothing is downloaded. Both sides share one Llama binding
 * (CPU only), the same context size (2048), thread count (default: defaultThreadCount of the
 * machine's math cores), prompt, max tokens and greedy sampling (temperature 0); each keeps its
 * own loaded model and context. Runs alternate (A B, B A, ...) after one warm-up each (which also leaves
 * the shared prompt prefix evaluated on both sides); a run is timed from the call to the end of
 * the answer, and tokens/s is output tokens over that time. Goal: provider/raw ≥ 0.95x.
 *
 * Then the thread-count measurement behind defaultThreadCount: raw node-llama-cpp on the tiny
 * model (and on the 100M model) with 1 vs 2 threads, alternating, medians.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getLlama, LlamaChat, LlamaLogLevel, type ChatHistoryItem, type Llama } from 'node-llama-cpp';
import { defaultThreadCount } from '../src-main/providers/defaultThreadCount.ts';
import { createLlamaCppProvider } from '../src-main/providers/llamaCppProvider.ts';
import { writeTinyGguf } from '../test/fixtures/makeTinyGguf.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    tokens: { type: 'string', default: '64' },
    threads: { type: 'string' },
    keep: { type: 'string' },
  },
});
const runs = Math.max(5, Number(values.runs));
const maxTokens = Number(values.tokens);
const contextSize = 2048;
const prompt = 'Write a short paragraph about the sea, the wind and the boats in the harbour.';
const history: ChatHistoryItem[] = [
  { type: 'user', text: prompt },
  { type: 'model', response: [] },
];

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const fmt = (value: number) => value.toFixed(1);

interface Side {
  label: string;
  /** One generation; returns output tokens and milliseconds. */
  run(): Promise<{ tokens: number; ms: number }>;
}

/** Raw node-llama-cpp: LlamaChat on its own context, as an app using the library directly would. */
async function rawSide(llama: Llama, modelPath: string, threads: number, label = 'raw node-llama-cpp'): Promise<Side & { dispose(): Promise<void> }> {
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize, threads, sequences: 1 });
  const chat = new LlamaChat({ contextSequence: context.getSequence() });
  return {
    label,
    async run() {
      let tokens = 0;
      const started = performance.now();
      await chat.generateResponse(history, {
        maxTokens,
        temperature: 0,
        onTextChunk: () => undefined,
        onResponseChunk: (chunk) => void (tokens += chunk.tokens.length),
      });
      return { tokens, ms: performance.now() - started };
    },
    async dispose() {
      chat.dispose();
      await context.dispose();
      await model.dispose();
    },
  };
}

async function providerSide(llama: Llama, modelDir: string, modelId: string, threads: number): Promise<Side & { dispose(): Promise<void> }> {
  const provider = createLlamaCppProvider({ id: 'bench', modelDirs: [modelDir], threads, gpu: false, contextSize, loadLlama: async () => llama });
  return {
    label: 'our provider',
    async run() {
      let tokens = 0;
      const started = performance.now();
      for await (const chunk of provider.chat({ model: modelId, messages: [{ role: 'user', content: prompt }], maxTokens, temperature: 0 }, new AbortController().signal)) {
        if (chunk.type === 'usage') tokens = chunk.outputTokens;
      }
      return { tokens, ms: performance.now() - started };
    },
    dispose: () => provider.dispose(),
  };
}

/** Alternating runs (A B, B A, A B, ...: neither side always goes first) after one warm-up each; tokens/s per run. */
async function alternate(a: Side, b: Side, count: number): Promise<[number[], number[]]> {
  await a.run();
  await b.run();
  const rates: [number[], number[]] = [[], []];
  for (let index = 0; index < count; index++) {
    const order: [number, Side][] = index % 2 === 0 ? [[0, a], [1, b]] : [[1, b], [0, a]];
    for (const [slot, side] of order) {
      const { tokens, ms } = await side.run();
      if (tokens !== maxTokens) throw new Error(`${side.label} produced ${tokens} tokens, expected ${maxTokens}`);
      rates[slot]?.push((tokens / ms) * 1000);
    }
  }
  return rates;
}

function table(title: string, a: Side, b: Side, [ratesA, ratesB]: [number[], number[]]): string {
  const width = Math.max(a.label.length, b.label.length, 12);
  const lines = [title, `${'run'.padEnd(8)}${a.label.padStart(width)}  ${b.label.padStart(width)}   (tokens/s)`];
  ratesA.forEach((rate, index) => lines.push(`${String(index + 1).padEnd(8)}${fmt(rate).padStart(width)}  ${fmt(ratesB[index] ?? 0).padStart(width)}`));
  lines.push(`${'median'.padEnd(8)}${fmt(median(ratesA)).padStart(width)}  ${fmt(median(ratesB)).padStart(width)}`);
  return lines.join('\n');
}

const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'sc-bench-tokens-'));
try {
  const written = writeTinyGguf(join(dir, 'bench-100m.gguf'), { preset: '100m', seed: 3 });
  const tiny = writeTinyGguf(join(dir, 'tiny.gguf'), { seed: 3 });
  const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
  const threads = values.threads === undefined ? defaultThreadCount(llama.cpuMathCores) : Number(values.threads);
  process.stdout.write(
    `model: ${(written.parameterCount / 1e6).toFixed(1)}M parameters, F32, ${(written.sizeBytes / 1e6).toFixed(0)} MB; ` +
      `context ${contextSize}; ${threads} thread(s) (defaultThreadCount(${llama.cpuMathCores} math cores) = ${defaultThreadCount(llama.cpuMathCores)}); ` +
      `${maxTokens} tokens, greedy; ${runs} alternating runs each after a warm-up\n\n`,
  );

  const ours = await providerSide(llama, dir, 'bench-100m.gguf', threads);
  const raw = await rawSide(llama, written.path, threads);
  const rates = await alternate(ours, raw, runs);
  await ours.dispose();
  await raw.dispose();
  const ratio = median(rates[0]) / median(rates[1]);
  process.stdout.write(`${table('provider vs raw node-llama-cpp (~100M model)', ours, raw, rates)}\n`);
  process.stdout.write(`ratio provider/raw: ${ratio.toFixed(3)}x (goal >= 0.95x) ${ratio >= 0.95 ? 'OK' : 'BELOW GOAL'}\n\n`);

  // Thread counts behind defaultThreadCount (raw node-llama-cpp; 2 threads on a 2-core box).
  for (const [label, path, count] of [
    ['tiny model (0.1M parameters)', tiny.path, 5],
    ['~100M model', written.path, 3],
  ] as const) {
    const one = await rawSide(llama, path, 1, '1 thread');
    const two = await rawSide(llama, path, 2, '2 threads');
    const threadRates = await alternate(one, two, count);
    await one.dispose();
    await two.dispose();
    process.stdout.write(`${table(`threads: ${label}`, one, two, threadRates)}\n`);
    process.stdout.write(`2 threads / 1 thread: ${(median(threadRates[1]) / median(threadRates[0])).toFixed(3)}x\n\n`);
  }
  await llama.dispose();
  if (ratio < 0.95) process.exitCode = 1;
} finally {
  if (values.keep === undefined) rmSync(dir, { recursive: true, force: true });
}
