import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, MessageParam, RawMessageStreamEvent, StopReason } from '@anthropic-ai/sdk/resources/messages';
import { abortedError, healthFromError, toProviderError } from './classifyHttpError.ts';
import type { HealthStatus, LlmProvider, ModelCapabilities, ModelInfo } from './LlmProvider.ts';
import { checkedFetch } from './checkedFetch.ts';
import { isContextWindow } from './isContextWindow.ts';
import { listModelsWithFallback, modelEntry } from './listModelsWithFallback.ts';
import { ProviderError } from './ProviderError.ts';
import { adviceFor } from './describeFailure.ts';
import type { ChatChunk, ChatRequest, FinishReason } from '../modelCall/modelCallTypes.ts';
import { longestTimeoutMs } from '../../src-shared/domain/provider.ts';

type HttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface AnthropicProviderOptions {
  id: string;
  baseUrl?: string;
  apiKey: string | undefined;
  /** Offered when the server has no models API (a proxy answering 404). */
  models?: string[];
  contextLengths?: Record<string, number>;
  fetch?: HttpFetch;
}

export const anthropicDefaultBaseUrl = 'https://api.anthropic.com';
/**
 * Only a last resort against a connection that never ends: the router owns real timeouts, and a
 * provider may be given up to `longestTimeoutMs` for its first token or whole answer.
 */
const safetyTimeoutMs = longestTimeoutMs + 60_000;
/** The Messages API requires max_tokens; every current model allows at least this many. */
const defaultMaxTokens = 4096;
const defaultContextLength = 200_000;

/** Tool names must match `^[a-zA-Z0-9_-]{1,64}$`. */
function toolName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'answer';
}

function finishReason(reason: StopReason | null): FinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
    case 'pause_turn':
      return 'length'; // pause_turn: a long turn the server paused, to be continued by sending it back; what came is part of the answer only
    case 'refusal':
      return 'error';
    default:
      return 'stop'; // end_turn, stop_sequence, tool_use (the forced structured-output tool)
  }
}

/**
 * A token count as the server sent it, when it is one; NaN otherwise, which the router records as
 * unknown (tokenCount). A string must not reach the sums below: "5" + 0 is "50".
 */
function tokens(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

/** Input tokens as billed: the uncached input plus the cache's writes and reads (absent: none). */
function inputCount(usage: { input_tokens?: unknown; cache_creation_input_tokens?: unknown; cache_read_input_tokens?: unknown }): number {
  const optional = (value: unknown): number => (value === undefined || value === null ? 0 : tokens(value));
  return tokens(usage.input_tokens) + optional(usage.cache_creation_input_tokens) + optional(usage.cache_read_input_tokens);
}

/**
 * The Anthropic Messages API adapter, through the official SDK with retries off. Structured
 * output is a forced tool whose input schema is the requested schema; the tool input's JSON
 * deltas are streamed as the text, so callers receive the JSON text as with any other adapter.
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): LlmProvider {
  const { id } = options;
  const client =
    options.apiKey === undefined
      ? undefined
      : new Anthropic({
          apiKey: options.apiKey,
          baseURL: options.baseUrl ?? anthropicDefaultBaseUrl, // explicit, so ANTHROPIC_BASE_URL is never read
          maxRetries: 0,
          timeout: safetyTimeoutMs,
          logLevel: 'off',
          fetch: checkedFetch(id, options.fetch),
        });
  const learned = new Map<string, { contextLength?: number; maxTokens?: number }>();

  const requireClient = (): Anthropic => {
    if (client) return client;
    throw new ProviderError(id, 'unavailable', 'no Anthropic API key is configured');
  };

  const listModels = async (signal?: AbortSignal): Promise<ModelInfo[]> => {
    const sdk = requireClient();
    return listModelsWithFallback({
      providerId: id,
      configured: options.models,
      contextLengths: options.contextLengths,
      signal,
      async *list() {
        for await (const entry of sdk.models.list({ limit: 100 }, { signal })) {
          const model = modelEntry(entry);
          if (!model) {
            yield undefined;
            continue;
          }
          // The server's figures only when they are whole token counts: a string or -1 would become the window or max_tokens sent.
          const contextLength = options.contextLengths?.[model.id] ?? (isContextWindow(model.max_input_tokens) ? model.max_input_tokens : undefined);
          learned.set(model.id, { contextLength, maxTokens: isContextWindow(model.max_tokens) ? model.max_tokens : undefined });
          yield contextLength === undefined ? { id: model.id } : { id: model.id, contextLength };
        }
      },
    });
  };

  async function* chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    const sdk = requireClient();
    if (signal.aborted) throw abortedError(id, signal);
    const system = request.messages
      .filter((message) => message.role === 'system')
      .map((message) => message.content)
      .join('\n\n');
    const messages: MessageParam[] = request.messages
      .filter((message) => message.role !== 'system')
      .map((message) => ({ role: message.role as 'user' | 'assistant', content: message.content }));
    const tool = request.schema ? toolName(request.schema.name) : undefined;
    const params: MessageCreateParamsStreaming = {
      model: request.model,
      max_tokens: request.maxTokens ?? Math.min(defaultMaxTokens, learned.get(request.model)?.maxTokens ?? defaultMaxTokens),
      messages,
      stream: true,
      ...(system ? { system } : {}),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.schema && tool
        ? {
            tools: [
              {
                name: tool,
                description: 'Give your whole answer as the input of this tool, matching its schema exactly.',
                input_schema: request.schema.jsonSchema as Anthropic.Tool.InputSchema,
              },
            ],
            tool_choice: { type: 'tool', name: tool },
          }
        : {}),
    };
    let inputTokens = 0;
    let outputTokens = 0;
    let sawUsage = false;
    let stopReason: StopReason | null | undefined;
    let stopped = false;
    try {
      const stream = await sdk.messages.create(params, { signal });
      for await (const event of stream as AsyncIterable<RawMessageStreamEvent | null>) {
        // The SDK parses each event's JSON and checks nothing: a server may send events out of
        // order, without the fields the API always sends (usage, delta), or as null; none is trusted.
        if (typeof event !== 'object' || event === null) continue;
        switch (event.type) {
          case 'message_start': {
            const usage = (event.message as Partial<typeof event.message> | undefined)?.usage;
            if (usage) {
              inputTokens = inputCount(usage);
              outputTokens = tokens(usage.output_tokens);
              sawUsage = true;
            }
            break;
          }
          case 'content_block_delta': {
            const delta = event.delta as Partial<typeof event.delta> | undefined;
            if (delta?.type === 'text_delta' && !tool && typeof delta.text === 'string' && delta.text) yield { type: 'text', text: delta.text };
            if (delta?.type === 'input_json_delta' && tool && typeof delta.partial_json === 'string' && delta.partial_json) yield { type: 'text', text: delta.partial_json };
            break;
          }
          case 'message_delta': {
            // A stop reason that is missing or not a word says nothing: the stream then ends without one (an error), never as a whole answer.
            const reason = (event.delta as Partial<typeof event.delta> | undefined)?.stop_reason;
            if (typeof reason === 'string' || reason === null) stopReason = reason;
            const usage = event.usage as Partial<typeof event.usage> | undefined;
            if (usage) {
              // Output tokens are cumulative; newer API versions repeat the input counts here.
              if (usage.output_tokens !== undefined) outputTokens = tokens(usage.output_tokens);
              if (usage.input_tokens !== undefined && usage.input_tokens !== null) inputTokens = inputCount(usage);
              sawUsage = true;
            }
            break;
          }
          case 'message_stop':
            stopped = true;
            break;
          default:
            break; // content_block_start/stop, thinking and signature deltas
        }
      }
    } catch (error) {
      throw toProviderError(id, error, signal);
    }
    if (signal.aborted) throw abortedError(id, signal);
    if (!stopped) throw new ProviderError(id, 'connection', `the stream from ${request.model} ended before message_stop (cut off)`);
    if (stopReason === undefined) {
      // message_stop without the message_delta that says why the answer ended: whole or cut, no one can say.
      throw new ProviderError(id, 'server', `the stream from ${request.model} ended without saying why (no stop reason): the answer may be incomplete. ${adviceFor('server')}`);
    }
    if (sawUsage) yield { type: 'usage', inputTokens, outputTokens };
    yield { type: 'finish', reason: finishReason(stopReason) };
  }

  return {
    id,
    type: 'anthropic',
    listModels,
    async health(signal?: AbortSignal): Promise<HealthStatus> {
      if (!client) return { ok: false, code: 'no-key', detail: 'no Anthropic API key is configured' };
      try {
        const models = await listModels(signal);
        return { ok: true, detail: `${models.length} model${models.length === 1 ? '' : 's'}`, models: models.map((model) => model.id) };
      } catch (error) {
        return healthFromError(toProviderError(id, error, signal));
      }
    },
    chat,
    capabilities(model: string): ModelCapabilities {
      return {
        contextLength: options.contextLengths?.[model] ?? learned.get(model)?.contextLength ?? defaultContextLength,
        structuredOutput: true,
        streaming: true,
      };
    },
  };
}
