import { createRequire } from 'node:module';
import type { Tiktoken as TiktokenEncoder, TiktokenBPE } from 'js-tiktoken/lite';

let encoder: TiktokenEncoder | undefined;

/**
 * Tokens of `text` by a real BPE tokenizer (OpenAI's o200k_base). Exact for current OpenAI
 * models; for other models' tokenizers it is an estimate, so callers keep a margin (the router's
 * targetTokens adds 15%). Loaded on first use, synchronously (the rank table is a few MB: a
 * process that never counts, like `service-creator --version`, never parses it).
 */
export function countTokens(text: string): number {
  encoder ??= loadEncoder();
  return encoder.encode(text).length;
}

function loadEncoder(): TiktokenEncoder {
  const require = createRequire(import.meta.url);
  const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: typeof TiktokenEncoder };
  return new Tiktoken(require('js-tiktoken/ranks/o200k_base') as TiktokenBPE);
}
