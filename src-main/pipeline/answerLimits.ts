import { maxFileAnswerChars } from '../../src-shared/pipeline/plan.ts';
import { countTokens } from '../tokens/countTokens.ts';
import type { ChatMessage } from '../modelCall/modelCallTypes.ts';

/**
 * Characters of a file answer the router reads before it stops the stream. A runaway answer (a
 * model that never stops, a server that ignores max tokens) is cut here, before it fills memory
 * or the store.
 */
export const fileAnswerMaxChars = maxFileAnswerChars;

/** Role and framing tokens per chat message. */
const perMessageTokens = 8;
/** Past this many characters, counting with BPE is slow: the UTF-8 byte length (an upper bound) is used. */
const tokenizeLimitChars = 400_000;

/**
 * Tokens a prompt takes (o200k; callers compare it with `contextBudget`, which keeps the margin
 * for other tokenizers). Used before sending a fix or repair prompt that carries a file, so one
 * that cannot fit the window is not sent at all and the user is told why.
 */
export function promptTokens(messages: readonly Pick<ChatMessage, 'content'>[]): number {
  return messages.reduce((sum, message) => sum + perMessageTokens + (message.content.length > tokenizeLimitChars ? Buffer.byteLength(message.content, 'utf8') : countTokens(message.content)), 0);
}

/** A count as people read it: 52,428,823. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
