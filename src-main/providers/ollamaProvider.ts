import { ollamaDefaultBaseUrl } from './ollamaDefaultBaseUrl.ts';
import { Ollama } from 'ollama';
import type { ChatResponse, ListResponse, ModelResponse, ProgressResponse } from 'ollama';
import { abortedError, errorForStatus, healthFromError, isContextLengthMessage, toProviderError } from './classifyHttpError.ts';
import type { HealthStatus, LlmProvider, ModelCapabilities, ModelInfo } from './LlmProvider.ts';
import { askEach } from './askEach.ts';
import { checkedFetch } from './checkedFetch.ts';
import { providerFetch } from './providerFetch.ts';
import { LearnedWindows } from './LearnedWindows.ts';
import { isConnectionRefused, notRunningMessage } from './OllamaError.ts';
import { ProviderError } from './ProviderError.ts';
import { adviceFor, contextLengthMessage, providerText } from './describeFailure.ts';
import type { ChatChunk, ChatRequest, FinishReason } from '../modelCall/modelCallTypes.ts';
import { isContextWindow } from './isContextWindow.ts';

type HttpFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface OllamaProviderOptions {
  id: string;
  baseUrl?: string;
  fetch?: HttpFetch;
  /** Context window to run each model with (`num_ctx`); default min(trained length, 8192). */
  contextLengths?: Record<string, number>;
}

export interface PullProgress {
  status: string;
  digest?: string;
  completed?: number;
  total?: number;
}

export interface OllamaProvider extends LlmProvider {
  /** Downloads a model into Ollama (`/api/pull`), reporting progress; resolves on success. */
  pull(model: string, options?: { signal?: AbortSignal; onProgress?: (progress: PullProgress) => void }): Promise<void>;
}

export { ollamaDefaultBaseUrl };
/**
 * Ollama runs a model with `num_ctx` tokens (its own default is small) and silently drops the
 * start of a longer prompt, so we send `num_ctx` explicitly and report that as the context.
 * 8192 keeps memory use sane; set contextLengths to go higher.
 */
const defaultNumCtx = 8_192;
/** Models of a list described with /api/show, and how many asked at once. */
export const showMost = 64;
export const showAtOnce = 8;
/** The SDK's own message when a stream ends without its final `done` line. */
const cutOffMessage = 'Did not receive done or success response in stream.';

/**
 * A fetch that (1) also aborts on our signal, so aborting really closes the HTTP request even
 * while the SDK reads the body; (2) turns an HTTP error answer into a ProviderError itself,
 * because the SDK's ResponseError drops the headers (Retry-After); (3) rejects a malformed
 * NDJSON line, which the SDK would skip with a console warning, silently losing text.
 */
function guardedFetch(providerId: string, base: HttpFetch, signal: AbortSignal | undefined): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const signals = [init.signal, signal].filter((s): s is AbortSignal => s !== undefined && s !== null);
    const response = await checkedFetch(providerId, base, { streamsEvents: false })(input, { ...init, ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}) });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let message = text.trim();
      try {
        const parsed: unknown = JSON.parse(text);
        const error = (parsed as { error?: unknown } | null)?.error;
        if (typeof error === 'string') message = error;
      } catch {
        // not JSON: keep the text
      }
      throw errorForStatus(providerId, response.status, message || `${response.status} ${response.statusText}`, response.headers);
    }
    if (!response.body || !(response.headers.get('content-type') ?? '').includes('ndjson')) return response;
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    let pending = '';
    // Passes whole lines on, so the lines before a bad one still reach the SDK.
    const passLine = (line: string, controller: TransformStreamDefaultController<Uint8Array>): void => {
      if (line.trim() !== '') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          throw new ProviderError(providerId, 'server', `malformed response from the server: not a JSON line ("${providerText(line, 120)}"). ${adviceFor('server')}`);
        }
        // JSON but not an object (null, a number, a list): it carries nothing, and the SDK fails on it ("'error' in null").
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return;
      }
      controller.enqueue(encoder.encode(`${line}\n`));
    };
    const validate = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const lines = (pending + decoder.decode(chunk, { stream: true })).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) passLine(line, controller);
      },
      flush(controller) {
        const rest = pending + decoder.decode();
        if (rest !== '') passLine(rest, controller);
      },
    });
    return new Response(response.body.pipeThrough(validate), { status: response.status, statusText: response.statusText, headers: response.headers });
  }) as typeof fetch;
}

/**
 * The entries of `/api/tags` that are models (an object with a name): the SDK checks nothing, so a
 * null entry, or `models` missing or not a list, would fail the list as a JavaScript error.
 */
function installed(list: ListResponse): ModelResponse[] {
  const models: unknown = (list as Partial<ListResponse> | null)?.models;
  if (!Array.isArray(models)) return [];
  return models.filter((model): model is ModelResponse => typeof (model as { name?: unknown } | null)?.name === 'string' && (model as { name: string }).name !== '');
}

function finishReason(reason: string | undefined): FinishReason {
  return reason === 'length' ? 'length' : 'stop'; // stop, load, unload
}

/** Errors the SDK raises while reading a stream: plain Errors carrying the server's in-stream `error`. */
function streamError(providerId: string, error: unknown, signal: AbortSignal | undefined): ProviderError {
  if (signal?.aborted) return abortedError(providerId, signal);
  if (error instanceof Error && error.constructor === Error) {
    if (error.message === cutOffMessage) return new ProviderError(providerId, 'connection', 'the stream ended before its final line (cut off)', { cause: error });
    // The server's own words, bounded and stripped like every provider text (an in-stream error may be any size, escapes included).
    if (isContextLengthMessage(error.message)) return new ProviderError(providerId, 'context-length', contextLengthMessage(error.message, undefined), { cause: error });
    if (/not found|does not exist/i.test(error.message)) return new ProviderError(providerId, 'not-found', `${providerText(error.message)}. ${adviceFor('not-found')}`, { cause: error });
    return new ProviderError(providerId, 'server', `the server reported an error in the middle of its answer: ${providerText(error.message)}. ${adviceFor('server')}`, { cause: error });
  }
  return toProviderError(providerId, error, signal);
}

function contextLengthOf(modelInfo: unknown): number | undefined {
  if (typeof modelInfo !== 'object' || modelInfo === null) return undefined;
  const entries = modelInfo instanceof Map ? [...modelInfo.entries()] : Object.entries(modelInfo);
  const found = entries.find(([key, value]) => String(key).endsWith('.context_length') && isContextWindow(value));
  return found?.[1] as number | undefined;
}

/**
 * The Ollama adapter, through the official `ollama` client. Each call gets its own client whose
 * fetch is tied to that call's signal (the shared client's `abort()` would cancel every stream).
 */
export function createOllamaProvider(options: OllamaProviderOptions): OllamaProvider {
  const { id } = options;
  const host = options.baseUrl ?? ollamaDefaultBaseUrl;
  const baseFetch: HttpFetch = options.fetch ?? providerFetch;
  // Each model's trained length (/api/show), learned once per adapter: it caps the num_ctx we run with.
  const trained = new LearnedWindows();
  const clientFor = (signal?: AbortSignal): Ollama => new Ollama({ host, fetch: guardedFetch(id, baseFetch, signal) });
  const numCtx = (model: string): number => options.contextLengths?.[model] ?? Math.min(trained.get(model) ?? defaultNumCtx, defaultNumCtx);

  const listModels = async (signal?: AbortSignal): Promise<ModelInfo[]> => {
    const client = clientFor(signal);
    try {
      const models = installed(await client.list());
      // /api/show is local and cheap, but not for thousands at once; a model it does not describe
      // (past the first ones, or failed) has no context length here: learnContextLength asks when it is used.
      const shown = await askEach(models, { most: showMost, atOnce: showAtOnce, signal }, (model) => client.show({ model: model.name }));
      return models.map((model, index) => {
        const show = shown[index];
        const contextLength = show === undefined ? undefined : contextLengthOf(show.model_info);
        if (contextLength !== undefined) trained.set(model.name, contextLength);
        return {
          id: model.name,
          ...(contextLength === undefined ? {} : { contextLength }),
          sizeBytes: model.size,
          ...(model.details?.family ? { architecture: model.details.family } : {}),
          ...(model.details?.quantization_level ? { quantization: model.details.quantization_level } : {}),
        };
      });
    } catch (error) {
      throw toProviderError(id, error, signal);
    }
  };

  async function* chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    if (signal.aborted) throw abortedError(id, signal);
    // Our own controller, so that leaving the loop early (break) also closes the request.
    const local = new AbortController();
    const onAbort = (): void => local.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let last: ChatResponse | undefined;
    try {
      const stream = await clientFor(local.signal).chat({
        model: request.model,
        messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
        stream: true,
        ...(request.schema ? { format: request.schema.jsonSchema } : {}),
        options: {
          num_ctx: numCtx(request.model),
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.maxTokens === undefined ? {} : { num_predict: request.maxTokens }),
        },
      });
      for await (const part of stream as AsyncIterable<ChatResponse | null>) {
        // Each line is JSON (guardedFetch), but of no checked shape: a null line, or content that is not text, is no text.
        const content: unknown = part?.message?.content;
        if (typeof content === 'string' && content) yield { type: 'text', text: content };
        if (part?.done === true) last = part;
      }
    } catch (error) {
      throw streamError(id, error, signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
      local.abort();
    }
    if (signal.aborted) throw abortedError(id, signal);
    if (!last) throw new ProviderError(id, 'connection', `the stream from ${request.model} ended before its final line (cut off)`);
    yield { type: 'usage', inputTokens: last.prompt_eval_count ?? 0, outputTokens: last.eval_count ?? 0 };
    yield { type: 'finish', reason: finishReason(last.done_reason) };
  }

  return {
    id,
    type: 'ollama',
    listModels,
    async health(signal?: AbortSignal): Promise<HealthStatus> {
      try {
        const client = clientFor(signal);
        const { version } = await client.version();
        // The list too: a server with no model can serve no task (describeProviderStatus says so).
        const models = installed(await client.list());
        return { ok: true, detail: `Ollama ${version}, ${models.length} model${models.length === 1 ? '' : 's'}`, models: models.map((model) => model.name) };
      } catch (error) {
        if (!signal?.aborted && isConnectionRefused(error)) return { ok: false, code: 'unreachable', detail: notRunningMessage(new URL(host).host) };
        return healthFromError(toProviderError(id, error, signal));
      }
    },
    chat,
    async learnContextLength(model: string, signal?: AbortSignal): Promise<void> {
      // A configured num_ctx is what we run the model with: nothing to ask.
      if (options.contextLengths?.[model] !== undefined) return;
      await trained.learn(model, async (bounded) => contextLengthOf((await clientFor(bounded).show({ model })).model_info), signal);
    },
    capabilities(model: string): ModelCapabilities {
      return { contextLength: numCtx(model), structuredOutput: true, streaming: true };
    },
    async pull(model, { signal, onProgress } = {}): Promise<void> {
      if (signal?.aborted) throw abortedError(id, signal);
      let succeeded = false;
      try {
        const stream = await clientFor(signal).pull({ model, stream: true });
        for await (const progress of stream as AsyncIterable<ProgressResponse>) {
          onProgress?.({
            status: progress.status,
            ...(progress.digest ? { digest: progress.digest } : {}),
            ...(typeof progress.completed === 'number' ? { completed: progress.completed } : {}),
            ...(typeof progress.total === 'number' ? { total: progress.total } : {}),
          });
          if (progress.status === 'success') succeeded = true;
        }
      } catch (error) {
        throw streamError(id, error, signal);
      }
      if (signal?.aborted) throw abortedError(id, signal);
      if (!succeeded) throw new ProviderError(id, 'connection', `the pull of ${model} ended before success (cut off)`);
    },
  };
}
