import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

let encoder: Tiktoken | undefined;

/**
 * Tokens of `text` by a real BPE tokenizer (OpenAI's o200k_base). Exact for current OpenAI
 * models; for other models' tokenizers it is an estimate, so callers keep a margin
 * (`contextBudget`). Loaded on first use (the rank table is a few MB).
 */
export function countTokens(text: string): number {
  encoder ??= new Tiktoken(o200kBase);
  return encoder.encode(text).length;
}

/** Tokens a prompt may use in a context window, leaving room for the answer and a 15% margin for other tokenizers. */
export function contextBudget(contextLength: number, answerTokens: number): number {
  return Math.max(0, Math.floor((contextLength - answerTokens) * 0.85));
}
