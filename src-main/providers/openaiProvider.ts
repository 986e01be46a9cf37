import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { abortedError, healthFromError, toProviderError } from './classifyHttpError.ts';
import type { HealthStatus, LlmProvider, ModelCapabilities, ModelInfo } from './LlmProvider.ts';
import { checkedFetch } from './checkedFetch.ts';
import { providerFetch } from './providerFetch.ts';
import { LearnedWindows } from './LearnedWindows.ts';
import { listModelsWithFallback, modelEntry } from './listModelsWithFallback.ts';
import { ProviderError } from './ProviderError.ts';
import { adviceFor, providerText } from './describeFailure.ts';
import { listedContextLength, propsContextLength } from './serverContextLength.ts';
import type { ChatChunk, ChatRequest, FinishReason } from '../modelCall/modelCallTypes.ts';
import { longestTimeoutMs } from '../../src-shared/domain/provider.ts';

/** The fetch the SDK accepts; tests inject one to fake the network at the HTTP level. */
type HttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface OpenAiProviderOptions {
  id: string;
  /** Any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio, gateways); default api.openai.com. */
  baseUrl?: string;
  apiKey: string | undefined;
  /** Offered when the server has no `/models` endpoint (some gateways answer 404). */
  models?: string[];
  contextLengths?: Record<string, number>;
  fetch?: HttpFetch;
}

export const openAiDefaultBaseUrl = 'https://api.openai.com/v1';
/**
 * Only a last resort against a connection that never ends: the router owns real timeouts, and a
 * provider may be given up to `longestTimeoutMs` for its first token or whole answer.
 */
const safetyTimeoutMs = longestTimeoutMs + 60_000;
/** Sent to servers that need no key (llama.cpp, vLLM, LM Studio): the SDK insists on one. */
const placeholderKey = 'not-needed';

/** Where a chat request hands its caller's signal to the adapter's fetch (followCaller), in the SDK's per-request fetchOptions. */
const callerAbort = Symbol('callerAbort');
/** The SDK's per-request fetch options (its RequestOptions type is not exported). */
type SdkFetchOptions = NonNullable<NonNullable<Parameters<OpenAI['chat']['completions']['create']>[1]>['fetchOptions']>;
interface CallerAbort {
  signal: AbortSignal;
  /** Stops following the caller's signal (the request is over); set by followCaller. */
  release?: () => void;
}

/**
 * The caller's cancellation, joined at the fetch rather than handed to the SDK: the SDK joins a
 * `signal` option to its own with AbortSignal.any, which cost about 40 µs of CPU per streamed
 * call (bench/routerCpu.ts, sse sides), more than the router and the gateway together. Here the
 * request gets a controller of its own that either signal aborts (one listener each); aborting
 * it ends the request before its headers or while its body streams, as the SDK's signal did,
 * and closes the connection. The error is classified by the caller's signal (toProviderError),
 * as before.
 */
function followCaller(base: HttpFetch): HttpFetch {
  return (input, init) => {
    const caller = (init as { [callerAbort]?: CallerAbort } | undefined)?.[callerAbort];
    if (!caller || !init) return base(input, init);
    const { [callerAbort]: _caller, ...rest } = init as RequestInit & { [callerAbort]?: CallerAbort };
    const controller = new AbortController();
    const own = init.signal;
    const onCaller = () => controller.abort(caller.signal.reason);
    if (caller.signal.aborted) onCaller();
    else {
      caller.signal.addEventListener('abort', onCaller, { once: true });
      caller.release = () => caller.signal.removeEventListener('abort', onCaller);
    }
    // The SDK's own signal: its safety timeout, and the stream closed early (a consumer that stops reading).
    own?.addEventListener('abort', () => controller.abort(own.reason), { once: true });
    return base(input, { ...rest, signal: controller.signal });
  };
}

function isOpenAiUrl(baseUrl: string | undefined): boolean {
  return baseUrl === undefined || new URL(baseUrl).hostname === 'api.openai.com';
}

/**
 * Splits a configured base URL into what the SDK wants: the URL without its query, the query
 * as `defaultQuery` (Azure-style gateways need `?api-version=…` on every call), and Azure's
 * `api-key` header for its hosts.
 */
function endpointOf(baseUrl: string | undefined, apiKey: string): { baseURL: string; defaultQuery?: Record<string, string>; defaultHeaders?: Record<string, string> } {
  if (baseUrl === undefined) return { baseURL: openAiDefaultBaseUrl };
  const url = new URL(baseUrl);
  const query = Object.fromEntries(url.searchParams);
  url.search = '';
  const azure = /\.(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/.test(url.hostname);
  return {
    baseURL: url.toString().replace(/\/$/, ''),
    ...(Object.keys(query).length > 0 ? { defaultQuery: query } : {}),
    ...(azure ? { defaultHeaders: { 'api-key': apiKey } } : {}),
  };
}

/** OpenAI allows `^[a-zA-Z0-9_-]{1,64}$` for response-format names. */
export function schemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'answer';
}

function finishReason(reason: ChatCompletionChunk.Choice['finish_reason'] | string): FinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    // The content filter; and a server's own word for an answer it broke off: OpenRouter's "error"
    // (a failure mid-stream), vLLM's "abort" (the request aborted on the server). Never a whole answer.
    case 'content_filter':
    case 'error':
    case 'abort':
      return 'error';
    default:
      return 'stop'; // stop, tool_calls, function_call, and server-specific values
  }
}

interface ReadChunk {
  choice: { delta?: { content?: unknown; refusal?: unknown } | null; finish_reason?: unknown } | undefined;
  usage: { prompt_tokens?: unknown; completion_tokens?: unknown } | undefined;
  /** Whether it looked like a chat chunk at all: an object with a `choices` list or `usage`. */
  known: boolean;
}

/**
 * A streamed chunk read without trusting its shape (the SDK parses JSON, it checks nothing):
 * `choices` null or missing is a chunk without a choice, a delta or usage that is not an object
 * is none. Token counts are passed on as they came: the router keeps only whole numbers.
 */
function readChunk(chunk: unknown): ReadChunk {
  const object = (value: unknown): Record<string, unknown> | undefined =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const body = object(chunk);
  const choices = body?.choices;
  const first = Array.isArray(choices) ? object(choices[0]) : undefined;
  const delta = object(first?.delta);
  const usage = object(body?.usage);
  return {
    choice: first === undefined ? undefined : { delta, finish_reason: first.finish_reason },
    usage,
    known: body !== undefined && (Array.isArray(choices) || choices === null || usage !== undefined),
  };
}

/**
 * The adapter for OpenAI and every OpenAI-compatible server, through the official SDK with its
 * retries off (`maxRetries: 0`): the router retries and falls back (ARCHITECTURE.md, the path of a model call).
 */
export function createOpenAiProvider(options: OpenAiProviderOptions): LlmProvider {
  const { id } = options;
  const openAi = isOpenAiUrl(options.baseUrl);
  // A local server usually needs no key; OpenAI itself always does.
  const apiKey = options.apiKey ?? (openAi ? undefined : placeholderKey);
  const client =
    apiKey === undefined
      ? undefined
      : new OpenAI({
          apiKey,
          ...endpointOf(options.baseUrl, apiKey), // an explicit baseURL, so OPENAI_BASE_URL is never read
          organization: null,
          project: null,
          maxRetries: 0,
          timeout: safetyTimeoutMs,
          logLevel: 'off', // errors reach the router as ProviderError; no console noise
          fetch: checkedFetch(id, followCaller(options.fetch ?? providerFetch)),
        });
  // Windows the server stated: enforced ones (vLLM, LM Studio) are learned; llama-server's trained
  // length is only a fallback until /props says what it runs with.
  const learned = new LearnedWindows();
  const trained = new Map<string, number>();

  const requireClient = (): OpenAI => {
    if (client) return client;
    throw new ProviderError(id, 'unavailable', `no API key is configured for ${options.baseUrl ?? openAiDefaultBaseUrl}`);
  };

  const listModels = async (signal?: AbortSignal): Promise<ModelInfo[]> => {
    const sdk = requireClient();
    return listModelsWithFallback({
      providerId: id,
      configured: options.models,
      contextLengths: options.contextLengths,
      signal,
      async *list() {
        for await (const entry of sdk.models.list({ signal })) {
          const model = modelEntry(entry);
          if (!model) {
            yield undefined;
            continue;
          }
          const listed = listedContextLength(model);
          if (listed.enforced !== undefined) learned.set(model.id, listed.enforced);
          if (listed.trained !== undefined) trained.set(model.id, listed.trained);
          const contextLength = options.contextLengths?.[model.id] ?? listed.enforced ?? learned.get(model.id) ?? listed.trained;
          yield contextLength === undefined ? { id: model.id } : { id: model.id, contextLength };
        }
      },
    });
  };

  /** The model's window as the server states it: its model list entry, else llama-server's /props. */
  const askServer = async (model: string, signal: AbortSignal): Promise<number | undefined> => {
    const sdk = requireClient();
    let listedTrained: number | undefined;
    try {
      for await (const entry of sdk.models.list({ signal })) {
        if (modelEntry(entry)?.id !== model) continue;
        const listed = listedContextLength(entry);
        if (listed.enforced !== undefined) return listed.enforced;
        listedTrained = listed.trained;
        if (listedTrained !== undefined) trained.set(model, listedTrained);
        break;
      }
    } catch (error) {
      // No model list (some gateways answer 404): /props may still say.
      if (signal.aborted) throw error;
    }
    const baseUrl = options.baseUrl ?? openAiDefaultBaseUrl;
    const props = await propsContextLength({ baseUrl, apiKey: options.apiKey, fetch: options.fetch ?? ((input, init) => fetch(input, init)), signal }).catch(() => undefined);
    return props ?? listedTrained;
  };

  async function* chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    const sdk = requireClient();
    if (signal.aborted) throw abortedError(id, signal);
    const params: ChatCompletionCreateParamsStreaming = {
      model: request.model,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      stream: true,
      stream_options: { include_usage: true },
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      // OpenAI's newer models reject max_tokens; many compatible servers only know max_tokens.
      ...(request.maxTokens === undefined ? {} : openAi ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
      ...(request.schema
        ? {
            response_format: {
              type: 'json_schema',
              json_schema: { name: schemaName(request.schema.name), schema: request.schema.jsonSchema, strict: true },
            },
          }
        : {}),
    };
    let finish: FinishReason | undefined;
    /** The model refused in the refusal field (structured outputs): no answer, whatever finish_reason says ("stop"). */
    let refused = false;
    let usage: ChatChunk | undefined;
    /** The first event that was not an OpenAI chat chunk, said when the stream brings no answer. */
    let unknown: unknown;
    const caller: CallerAbort = { signal };
    try {
      const stream = await sdk.chat.completions.create(params, { fetchOptions: { [callerAbort]: caller } as SdkFetchOptions });
      for await (const chunk of stream) {
        // The server's JSON as it came: `choices` may be null or missing (keep-alives, usage-only chunks) or not OpenAI's at all.
        const { choice, usage: reported, known } = readChunk(chunk);
        if (!known) unknown ??= chunk;
        const text = choice?.delta?.content;
        if (typeof text === 'string' && text) yield { type: 'text', text };
        if (choice?.delta?.refusal) refused = true;
        if (typeof choice?.finish_reason === 'string' && choice.finish_reason) finish = finishReason(choice.finish_reason);
        if (reported) usage = { type: 'usage', inputTokens: reported.prompt_tokens as number, outputTokens: reported.completion_tokens as number }; // checked by the router (tokenCount)
      }
    } catch (error) {
      throw toProviderError(id, error, signal);
    } finally {
      caller.release?.();
    }
    // The SDK ends the iteration quietly when the request is aborted.
    if (signal.aborted) throw abortedError(id, signal);
    if (finish === undefined && unknown !== undefined) {
      throw new ProviderError(
        id,
        'server',
        `the stream from ${request.model} is not in the OpenAI chat format (it sent "${providerText(JSON.stringify(unknown) ?? '', 120)}"): the address may not be an OpenAI-compatible API, or a proxy changed the answer. ${adviceFor('server')}`,
      );
    }
    if (finish === undefined) {
      throw new ProviderError(id, 'connection', `the stream from ${request.model} ended without a finish_reason (cut off)`);
    }
    if (usage) yield usage;
    yield { type: 'finish', reason: refused ? 'error' : finish };
  }

  return {
    id,
    type: 'openai',
    listModels,
    async health(signal?: AbortSignal): Promise<HealthStatus> {
      if (!client) return { ok: false, code: 'no-key', detail: `no API key is configured for ${options.baseUrl ?? openAiDefaultBaseUrl}` };
      try {
        const models = await listModels(signal);
        return { ok: true, detail: `${models.length} model${models.length === 1 ? '' : 's'}`, models: models.map((model) => model.id) };
      } catch (error) {
        return healthFromError(toProviderError(id, error, signal));
      }
    },
    chat,
    async learnContextLength(model: string, signal?: AbortSignal): Promise<void> {
      // A configured window wins; api.openai.com states none (its default below is right).
      if (options.contextLengths?.[model] !== undefined || openAi || !client) return;
      await learned.learn(model, (bounded) => askServer(model, bounded), signal);
    },
    capabilities(model: string): ModelCapabilities {
      return {
        contextLength: options.contextLengths?.[model] ?? learned.get(model) ?? trained.get(model) ?? (openAi ? 128_000 : 8_192),
        structuredOutput: true,
        streaming: true,
      };
    },
  };
}
