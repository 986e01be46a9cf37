import type { ServerResponse } from 'node:http';
import { createAnthropicProvider } from '../../src-main/providers/anthropicProvider.ts';
import { createOllamaProvider } from '../../src-main/providers/ollamaProvider.ts';
import { createOpenAiProvider } from '../../src-main/providers/openaiProvider.ts';
import type { LlmProvider } from '../../src-main/providers/LlmProvider.ts';

// A streamed chat answer as each adapter's server sends it, for tests of the HTTP transport
// under the adapters (transport*.test.ts): the head (status, type, the first text) and the rest.

export type AdapterType = 'openai' | 'anthropic' | 'ollama';
export const adapterTypes: AdapterType[] = ['openai', 'anthropic', 'ollama'];

/** The adapter of a type at a server's root address; `fetch: globalThis.fetch` gives the transport the adapters had before providerFetch. */
export function adapterFor(type: AdapterType, url: string, fetch?: typeof globalThis.fetch): LlmProvider {
  const given = fetch ? { fetch } : {};
  if (type === 'anthropic') return createAnthropicProvider({ id: 'p', baseUrl: url, apiKey: 'sk-test', ...given });
  if (type === 'ollama') return createOllamaProvider({ id: 'p', baseUrl: url, ...given });
  return createOpenAiProvider({ id: 'p', baseUrl: `${url}/v1`, apiKey: 'sk-test', ...given });
}

const event = (value: { type: string; [field: string]: unknown }): string => `event: ${value.type}\ndata: ${JSON.stringify(value)}\n\n`;

/** Writes the status line, headers and a first piece of text; returns what ends the answer. */
export function startAnswer(type: AdapterType, res: ServerResponse, first: string): (rest: string) => void {
  if (type === 'ollama') {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = (content: string, done: boolean) => `${JSON.stringify({ model: 'm', message: { role: 'assistant', content }, done, ...(done ? { done_reason: 'stop' } : {}) })}\n`;
    res.write(line(first, false));
    return (rest) => res.end(line(rest, true));
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  if (type === 'anthropic') {
    res.write(
      event({ type: 'message_start', message: { id: 'x', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 0 } } }) +
        event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
        event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: first } }),
    );
    return (rest) =>
      res.end(
        event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: rest } }) +
          event({ type: 'content_block_stop', index: 0 }) +
          event({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } }) +
          event({ type: 'message_stop' }),
      );
  }
  res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: first } }] })}\n\n`);
  return (rest) => res.end(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: rest }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
}

/** The text of a chat, or the failure's kind and message. */
export async function chatText(provider: LlmProvider, signal: AbortSignal = AbortSignal.timeout(10_000)): Promise<{ text: string; kind?: string; message?: string }> {
  let text = '';
  try {
    for await (const chunk of provider.chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, signal)) if (chunk.type === 'text') text += chunk.text;
    return { text };
  } catch (error) {
    const failure = error as { kind?: string; message?: string };
    return { text, kind: failure.kind, message: failure.message };
  }
}
