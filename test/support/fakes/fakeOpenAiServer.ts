import { sendJson, startFakeServer } from './fakeServerBase.ts';
import type { FakeServer, FakeServerOptions, FakeStep, ProtocolDefinition, Wire } from './fakeServerBase.ts';

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
  /** Optional: a server that counts, refusing a request over its window as vLLM does (see FakeContextWindow). */
  contextWindow?: FakeContextWindow;
}

/**
 * A server with a real window: each chat request's prompt is counted by the server (`count` per
 * message, plus the chat template's framing) and a prompt plus `max_tokens` over `tokens` is
 * refused with vLLM's 400 and its exact text, before any script step is used.
 */
export interface FakeContextWindow {
  tokens: number;
  /** The server's count of a text (tests pass o200k: the server's count, not the client's). */
  count: (text: string) => number;
  /**
   * Where the server states its window: vLLM's model list `max_model_len` (default), llama-server's
   * `/props` `default_generation_settings.n_ctx` (its model list then only states a larger trained
   * length, `meta.n_ctx_train`), or nowhere.
   */
  states?: 'max_model_len' | 'props' | 'nowhere';
}

/** What the server counted for one chat request, and whether it refused it for size. */
export interface WindowCheck {
  promptTokens: number;
  maxTokens: number | undefined;
  refused: boolean;
}

/** Chat-template framing the server adds: per message, and once to prime the answer. */
const perMessageFraming = 4;
const primingTokens = 3;

/** The prompt tokens as a server counts them (content by `count`, plus the template's framing). */
export function serverPromptTokens(request: unknown, count: (text: string) => number): number {
  const messages = (request as { messages?: { content?: unknown }[] } | undefined)?.messages ?? [];
  return messages.reduce((sum, message) => sum + perMessageFraming + count(typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? '')), primingTokens);
}

/** vLLM's answer to a request over its window (HTTP 400), word for word. */
export function vllmContextLengthBody(window: number, promptTokens: number, maxTokens: number): unknown {
  return {
    error: {
      message: `This model's maximum context length is ${window} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`,
      type: 'BadRequestError',
      param: null,
      code: 400,
    },
  };
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
  refusalToken: (request, text) => chunk(request, { refusal: text }, null),
  end: (request, finish, usage, wireFinish) => [
    chunk(request, {}, wireFinish ?? (finish === 'refusal' ? 'content_filter' : finish)),
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

export async function startFakeOpenAiServer(options: FakeOpenAiOptions = {}): Promise<FakeServer & { windowChecks: WindowCheck[] }> {
  const window = options.contextWindow;
  const states = window?.states ?? 'max_model_len';
  const stated = (model: Record<string, unknown>): Record<string, unknown> => {
    if (!window) return model;
    if (states === 'max_model_len') return { max_model_len: window.tokens, ...model };
    if (states === 'props') return { meta: { n_ctx_train: window.tokens * 4 }, ...model };
    return model;
  };
  const models = (options.models ?? ['gpt-fake-mini', 'gpt-fake']).map((model) =>
    stated(typeof model === 'string' ? { id: model, object: 'model', created, owned_by: 'fake' } : { object: 'model', created, owned_by: 'fake', ...model }),
  );
  const windowChecks: WindowCheck[] = [];
  const respond = (request: unknown): FakeStep | undefined => {
    if (window) {
      const promptTokens = serverPromptTokens(request, window.count);
      const body = request as { max_tokens?: unknown; max_completion_tokens?: unknown } | undefined;
      const limit = body?.max_tokens ?? body?.max_completion_tokens;
      const maxTokens = typeof limit === 'number' ? limit : undefined;
      const refused = promptTokens + (maxTokens ?? 0) > window.tokens;
      windowChecks.push({ promptTokens, maxTokens, refused });
      if (refused) return { status: 400, body: vllmContextLengthBody(window.tokens, promptTokens, maxTokens ?? 0) };
    }
    return options.respond?.(request);
  };
  const protocol: ProtocolDefinition = {
    wire: openAiWire,
    isChat: (method, path) => method === 'POST' && path.endsWith('/chat/completions'),
    handleOther: ({ res, recorded }) => {
      if (recorded.method === 'GET' && recorded.path.endsWith('/models')) {
        sendJson(res, 200, { object: 'list', data: models });
        return true;
      }
      if (window && states === 'props' && recorded.method === 'GET' && recorded.path === '/props') {
        sendJson(res, 200, { default_generation_settings: { n_ctx: window.tokens, params: { n_predict: -1 } }, total_slots: 1, model_path: '/models/fake.gguf', chat_template: '{{ messages }}' });
        return true;
      }
      return false;
    },
    baseUrl: (origin) => `${origin}/v1`,
  };
  const server = await startFakeServer(protocol, { ...options, respond });
  return Object.assign(server, { windowChecks });
}
