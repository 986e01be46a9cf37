import type { ChatHistoryItem } from 'node-llama-cpp';
import type { ChatMessage } from '../modelCall/modelCallTypes.ts';

/**
 * Our messages as node-llama-cpp's chat history; a history that does not end with the model's
 * turn gets an empty one, so the model answers (a trailing assistant message is continued).
 */
export function toLlamaHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message): ChatHistoryItem => {
    switch (message.role) {
      case 'system':
        return { type: 'system', text: message.content };
      case 'user':
        return { type: 'user', text: message.content };
      case 'assistant':
        return { type: 'model', response: [message.content] };
      default:
        return message.role satisfies never;
    }
  });
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}
