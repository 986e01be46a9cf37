/**
 * How many CPU threads llama.cpp evaluates with when the user has not chosen: one core is left
 * to the rest of the app (Node's event loop, which receives every token, Electron, the router,
 * sandbox containers), never fewer than 1 thread.
 *
 * Why not "all cores" (llama.cpp's own default): ggml's worker threads spin while they wait for
 * each other, so a thread that loses its core to another busy thread stalls every matrix
 * multiplication. Measured on the 2-core CI box with raw node-llama-cpp (`npx node
 * bench/localTokens.ts`: 64 tokens, greedy, CPU only, alternating runs, tokens/s medians):
 *
 * | threads                                | tiny model (0.1M params)     | ~100M params (F32)     |
 * |----------------------------------------|------------------------------|------------------------|
 * | 1                                      | 2343, 2900 (runs 1862-3203)  | 41.1, 42.1 (40.0-42.8) |
 * | 2 (= all cores)                        | 77, 75 (runs 7.7-312): 30x+  | 42.6, 44.5: +4-6%      |
 * |                                        | slower                       | (one run of 2: +15%)   |
 * | 4 (node-llama-cpp's `threads: 0` here) | 3.3: ~700x slower            | 0.5: ~80x slower       |
 *
 * All cores gain at best ~15% on a model big enough to amortise the synchronisation, and lose
 * one to three orders of magnitude once something else (here: Node's event loop, which receives
 * every token) wants a core. So the rule keeps one core free: `cpuCount - 1`, at least 1. Pass
 * llama.cpp's math-core count (`Llama.cpuMathCores`, physical performance cores) rather than
 * logical CPUs: hyper-threads add contention, not arithmetic.
 */
export function defaultThreadCount(cpuCount: number): number {
  if (!Number.isFinite(cpuCount) || cpuCount < 2) return 1;
  return Math.floor(cpuCount) - 1;
}
