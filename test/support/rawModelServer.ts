import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect } from 'vitest';
import { createAnthropicProvider } from '../../src-main/providers/anthropicProvider.ts';
import { createOpenAiProvider } from '../../src-main/providers/openaiProvider.ts';
import { ProviderError } from '../../src-main/providers/ProviderError.ts';
import type { LlmProvider } from '../../src-main/providers/LlmProvider.ts';
import type { ChatChunk } from '../../src-main/modelCall/modelCallTypes.ts';

// Raw node:http model servers for tests of hostile or broken servers (hostileServers*.test.ts):
// whatever bytes a test writes reach the real SDKs, with no protocol in between. Servers started
// with `serve` are closed after each test.

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1'): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/** Writes `piece` until the client goes away or `maxBytes` is written; resolves with the bytes written. */
export function endless(res: ServerResponse, piece: string, maxBytes: number): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    const write = (): void => {
      while (!res.destroyed && written < maxBytes) {
        written += piece.length;
        if (!res.write(piece)) return void res.once('drain', write);
      }
      if (!res.destroyed) res.end();
      resolve(written);
    };
    res.once('close', () => resolve(written));
    write();
  });
}

export const sse = (res: ServerResponse, frames: string[]): void => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const frame of frames) res.write(frame);
  res.end();
};
export const data = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;
export const event = (value: { type: string }): string => `event: ${value.type}\ndata: ${JSON.stringify(value)}\n\n`;
export const chunk = (choices: unknown, extra: Record<string, unknown> = {}): unknown => ({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices, ...extra });

export const key = 'sk-hostile-test-key-0123456789abcdef';
export const openAi = (url: string): LlmProvider => createOpenAiProvider({ id: 'oai', baseUrl: `${url}/v1`, apiKey: key });
export const anthropic = (url: string): LlmProvider => createAnthropicProvider({ id: 'ant', baseUrl: url, apiKey: key });
export const ask = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };

export async function outcome(stream: AsyncIterable<ChatChunk>): Promise<{ chunks: ChatChunk[]; error?: ProviderError }> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const item of stream) chunks.push(item);
    return { chunks };
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return { chunks, error: error as ProviderError };
  }
}

/** Words only: no JavaScript internals, no terminal escapes, no remains of one. */
export function expectWords(message: string): void {
  expect(message).not.toMatch(/Cannot read properties|undefined|TypeError|\u001b|\[\d+m|\]0;/);
  expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
}

