import type { LlmProvider } from '../providers/LlmProvider.ts';
import { countTokens } from '../tokens/countTokens.ts';

/** What a caller needs to size a follow-up prompt (a repair) for the target that answered. */
export interface TargetTokens {
  /** The target's context window, in tokens. */
  contextLength: number;
  /**
   * Tokens of `text` for this target: the provider's own tokenizer where it has one (llama.cpp),
   * else o200k with a 15% margin for other tokenizers. Never an underestimate by design: text too
   * long to tokenize cheaply counts as its UTF-8 byte length, which bounds any BPE count.
   */
  count(text: string): number;
}

/** Past this many characters, BPE is slow (pathological runs are quadratic): the byte bound is used instead. */
const tokenizeLimitChars = 400_000;
const otherTokenizerMargin = 1.15;

export function targetTokens(provider: LlmProvider, model: string): TargetTokens {
  return {
    contextLength: provider.capabilities(model).contextLength,
    count(text: string): number {
      if (text.length > tokenizeLimitChars) return Buffer.byteLength(text, 'utf8');
      const own = provider.countTokens?.(model, text);
      if (own !== undefined) return own;
      return Math.ceil(countTokens(text) * otherTokenizerMargin);
    },
  };
}
