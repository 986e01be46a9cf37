import { sendJson, startFakeServer } from './fakeServerBase.ts';
import type { FakeServer, FakeServerOptions, ProtocolDefinition, Wire } from './fakeServerBase.ts';

/**
 * A fake OpenAI-compatible server (OpenAI, vLLM, llama.cpp server, LM Studio all speak this):
 * `POST …/chat/completions` streams `chat.completion.chunk` SSE frames ending in `data: [DONE]`,
 * with the usage chunk only when the request asked for `stream_options.include_usage`;
 * `GET …/models` lists `models`. Errors use OpenAI's `{error: {message, type, param, code}}`.
 * The base URL ends in `/v1`, as the SDK expects.
 */

export type { FakeServer, FakeStep, RecordedRequest } from './fakeServerBase.ts';

export interface FakeOpenAiOptions extends FakeServerOptions {
  /** Model ids, or whole model objects (e.g. vLLM's `max_model_len`, llama.cpp's `meta.n_ctx_train`). */
  models?: (string | ({ id: string } & Record<string, unknown>))[];
}

const created = 1_700_000_000;

function modelOf(request: unknown): string {
  return String((request as { model?: unknown } | undefined)?.model ?? 'fake-model');
}

function includeUsage(request: unknown): boolean {
  return (request as { stream_options?: { include_usage?: boolean } } | undefined)?.stream_options?.include_usage === true;
}

const frame = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;

function chunk(request: unknown, delta: Record<string, unknown>, finishReason: string | null): string {
  return frame({
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created,
    model: modelOf(request),
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage(request) ? { usage: null } : {}),
  });
}

const errorTypes: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

export const openAiWire: Wire = {
  contentType: 'text/event-stream; charset=utf-8',
  start: (request) => [chunk(request, { role: 'assistant', content: '', refusal: null }, null)],
  token: (request, text) => chunk(request, { content: text }, null),
  end: (request, finish, usage) => [
    chunk(request, {}, finish),
    ...(includeUsage(request)
      ? [
          frame({
            id: 'chatcmpl-fake',
            object: 'chat.completion.chunk',
            created,
            model: modelOf(request),
            choices: [],
            usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens },
          }),
        ]
      : []),
    'data: [DONE]\n\n',
  ],
  malformed: () => 'data: {"id":"chatcmpl-fake","choices":[{"delta":{"content":"oo\n\n',
  streamError: (_request, error) => [frame({ error: { message: error.message, type: error.type ?? 'server_error', param: null, code: error.code ?? null } })],
  errorBody: (status, message) => {
    const known = errorTypes[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null };
    return { error: { message, type: known.type, param: null, code: known.code } };
  },
};

/** The body OpenAI sends when the prompt does not fit (HTTP 400). */
export const openAiContextLengthBody = {
  error: {
    message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9100 tokens. Please reduce the length of the messages.",
    type: 'invalid_request_error',
    param: 'messages',
    code: 'context_length_exceeded',
  },
};

export function startFakeOpenAiServer(options: FakeOpenAiOptions = {}): Promise<FakeServer> {
  const models = (options.models ?? ['gpt-fake-mini', 'gpt-fake']).map((model) =>
    typeof model === 'string' ? { id: model, object: 'model', created, owned_by: 'fake' } : { object: 'model', created, owned_by: 'fake', ...model },
  );
  const protocol: ProtocolDefinition = {
    wire: openAiWire,
    isChat: (method, path) => method === 'POST' && path.endsWith('/chat/completions'),
    handleOther: ({ res, recorded }) => {
      if (recorded.method === 'GET' && recorded.path.endsWith('/models')) {
        sendJson(res, 200, { object: 'list', data: models });
        return true;
      }
      return false;
    },
    baseUrl: (origin) => `${origin}/v1`,
  };
  return startFakeServer(protocol, options);
}
