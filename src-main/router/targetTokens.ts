import type { LlmProvider } from '../providers/LlmProvider.ts';
import { countTokens } from '../tokens/countTokens.ts';
import type { TargetTokens } from '../modelCall/modelCallTypes.ts';

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
