import type { ChatMessage } from '../modelCall/modelCallTypes.ts';

/** A rough count for routing and rate limits (about 4 characters a token); adapters report real counts. */
export function estimateTokens(messages: ChatMessage[]): number {
  return Math.ceil(messages.reduce((sum, message) => sum + message.content.length + 4, 0) / 4);
}
