import { sendJson, startFakeServer } from './fakeServerBase.ts';
import type { FakeServer, FakeServerOptions, ProtocolDefinition, Wire } from './fakeServerBase.ts';

/**
 * A fake Anthropic Messages API: `POST /v1/messages` streams the exact SSE event sequence
 * (message_start, content_block_start, ping, content_block_delta…, content_block_stop,
 * message_delta with stop_reason and usage, message_stop). When the request forces a tool
 * (`tool_choice: {type: 'tool'}`), the content block is that `tool_use` and the deltas are
 * `input_json_delta`, as the real API does for structured output. `GET /v1/models` lists
 * `models`. Errors use `{type: 'error', error: {type, message}}`.
 */

export type { FakeServer, FakeStep, RecordedRequest } from './fakeServerBase.ts';

export interface FakeAnthropicOptions extends FakeServerOptions {
  models?: (string | ({ id: string } & Record<string, unknown>))[];
}

const event = (name: string, data: unknown): string => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

function forcedTool(request: unknown): string | undefined {
  const choice = (request as { tool_choice?: { type?: string; name?: string } } | undefined)?.tool_choice;
  return choice?.type === 'tool' ? choice.name : undefined;
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export const anthropicWire: Wire = {
  contentType: 'text/event-stream; charset=utf-8',
  start: (request, usage) => {
    const model = String((request as { model?: unknown } | undefined)?.model ?? 'claude-fake');
    const tool = forcedTool(request);
    return [
      event('message_start', {
        type: 'message_start',
        message: {
          id: 'msg_fake',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.inputTokens, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      }),
      event('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: tool === undefined ? { type: 'text', text: '' } : { type: 'tool_use', id: 'toolu_fake', name: tool, input: {} },
      }),
      event('ping', { type: 'ping' }),
    ];
  },
  token: (request, text) =>
    event('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: forcedTool(request) === undefined ? { type: 'text_delta', text } : { type: 'input_json_delta', partial_json: text },
    }),
  end: (request, finish, usage, wireFinish) => [
    event('content_block_stop', { type: 'content_block_stop', index: 0 }),
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: wireFinish ?? (finish === 'length' ? 'max_tokens' : finish === 'refusal' ? 'refusal' : forcedTool(request) === undefined ? 'end_turn' : 'tool_use'), stop_sequence: null },
      usage: { input_tokens: usage.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: usage.outputTokens },
    }),
    event('message_stop', { type: 'message_stop' }),
  ],
  malformed: () => 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n',
  streamError: (_request, error) => [event('error', { type: 'error', error: { type: error.type ?? 'overloaded_error', message: error.message } })],
  errorBody: (status, message) => ({
    type: 'error',
    error: { type: errorTypes[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error'), message },
    request_id: 'req_fake',
  }),
};

/** The body Anthropic sends when the prompt does not fit (HTTP 400). */
export const anthropicContextLengthBody = {
  type: 'error',
  error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' },
  request_id: 'req_fake',
};

export function startFakeAnthropicServer(options: FakeAnthropicOptions = {}): Promise<FakeServer> {
  const models = (options.models ?? ['claude-fake-haiku', 'claude-fake-sonnet']).map((model) => ({
    type: 'model',
    display_name: typeof model === 'string' ? model : model.id,
    created_at: '2025-01-01T00:00:00Z',
    max_input_tokens: 200_000,
    max_tokens: 64_000,
    ...(typeof model === 'string' ? { id: model } : model),
  }));
  const protocol: ProtocolDefinition = {
    wire: anthropicWire,
    isChat: (method, path) => method === 'POST' && path === '/v1/messages',
    handleOther: ({ res, recorded }) => {
      if (recorded.method === 'GET' && recorded.path === '/v1/models') {
        sendJson(res, 200, { data: models, has_more: false, first_id: models[0]?.id ?? null, last_id: models.at(-1)?.id ?? null });
        return true;
      }
      return false;
    },
    baseUrl: (origin) => origin,
  };
  return startFakeServer(protocol, options);
}
