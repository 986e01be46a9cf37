import { tinyGgufHeader, type TinyGgufHeader } from '../fixtures/makeTinyGguf.ts';

/** A llama-shaped 7B (32 layers of 4096, Q4_K weights: about 3.6 GB) header, as a 7B catalogue file's stand-in. */
export function llama7bShapedHeader(): TinyGgufHeader {
  return tinyGgufHeader({
    weightType: 'Q4_K',
    name: 'llama-7b-shaped',
    hyperparameters: { embeddingLength: 4096, blockCount: 32, headCount: 32, headCountKv: 8, feedForwardLength: 11008, contextLength: 32768 },
  });
}

/** A llama-shaped 70B (80 layers of 8192, Q4_K weights: about 38 GB) header. */
export function llama70bShapedHeader(): TinyGgufHeader {
  return tinyGgufHeader({
    weightType: 'Q4_K',
    name: 'llama-70b-shaped',
    hyperparameters: { embeddingLength: 8192, blockCount: 80, headCount: 64, headCountKv: 8, feedForwardLength: 28672, contextLength: 131072 },
  });
}

/** The shipped catalogue's files the loopback server stands in for (USER/REPO/FILE). */
export const catalogue7bFile = 'Qwen/Qwen2.5-Coder-7B-Instruct-GGUF/qwen2.5-coder-7b-instruct-q4_k_m.gguf';
export const catalogue70bFile = 'bartowski/Llama-3.3-70B-Instruct-GGUF/Llama-3.3-70B-Instruct-Q4_K_M.gguf';

const gib = 1024 ** 3;
/** A 16 GB laptop without a GPU, and one with a 4 GB GPU. */
export const laptop16 = { gpu: false as const, vramBytes: 0, ramBytes: 16 * gib };
export const laptop16Gpu4 = { gpu: 'cuda' as const, vramBytes: 4 * gib, ramBytes: 16 * gib };
