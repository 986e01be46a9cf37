import { z } from 'zod';
import { ollamaModelNameSchema } from '../../src-shared/domain/ollama.ts';
import type { OllamaModel } from '../../src-shared/domain/ollama.ts';
import { providerText } from './describeFailure.ts';
import { readBoundedText } from './readBoundedText.ts';
import { askEach } from './askEach.ts';
import { isConnectionRefused, notRunningMessage, OllamaError } from './OllamaError.ts';

import { providerFetch, type HttpFetch } from './providerFetch.ts';

/** Models of a list described with /api/show, and how many asked at once (as the adapter's listModels). */
const showMost = 64;
const showAtOnce = 8;

/** What the KV cache needs per token, from `/api/show`'s model_info (for the fit estimate). */
export interface OllamaModelShape {
  layers: number;
  kvElementsPerTokenPerLayer: number;
}

/** An installed model with the shape `/api/show` gave, when it gave one. */
export type OllamaListedModel = OllamaModel & { shape?: OllamaModelShape };

/** One line of `/api/pull`'s NDJSON stream, as far as we read it. */
export interface OllamaPullLine {
  status: string;
  digest?: string;
  completed?: number;
  total?: number;
}

/** A longer line is not Ollama's: the stream is refused rather than buffered without end. */
const maxLineChars = 64 * 1024;
/** Bodies of the small JSON answers (tags, show, version) are read up to this much. */
const maxJsonBytes = 8 * 1024 * 1024;

/** The version as words: a server's text, so without control characters or escapes. */
const versionSchema = z.object({ version: z.string().max(100).transform((version) => providerText(version, 100)) });
/**
 * One installed model. A name this app could not pull or remove again (not an Ollama name: a
 * control character, 10 KB long) leaves the model out of the list; a detail that does not fit
 * is left out of the model. Neither fails the whole list.
 */
const tagSchema = z.object({
  name: ollamaModelNameSchema,
  size: z.number().nonnegative().optional().catch(undefined),
  modified_at: z.string().max(100).optional().catch(undefined),
  details: z
    .object({ family: z.string().max(100).optional().catch(undefined), parameter_size: z.string().max(50).optional().catch(undefined), quantization_level: z.string().max(50).optional().catch(undefined) })
    .partial()
    .optional()
    .catch(undefined),
});
const tagsSchema = z.object({ models: z.array(z.unknown()).default([]) });
/** The most models taken from one list (as the cloud adapters' lists). */
const maxTags = 10_000;
const showSchema = z.object({ model_info: z.record(z.string(), z.unknown()).optional() });
/**
 * A byte count in a progress line, when it is one (a whole number from 0 up); anything else
 * (negative, a fraction, 1e300, a string) is dropped: a progress figure that lies must not end a
 * download that is going well, nor reach the bar.
 */
const byteCount = z.unknown().transform((value) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined));
const pullLineSchema = z.object({
  status: z.string().max(500).optional(),
  digest: z.string().max(200).optional(),
  completed: byteCount.optional(),
  total: byteCount.optional(),
  error: z.string().optional(),
});

/** The first number in model_info whose key ends with `suffix` (keys carry the architecture: `qwen2.block_count`). */
function numberEndingWith(info: Record<string, unknown> | undefined, suffix: string): number | undefined {
  const found = Object.entries(info ?? {}).find(([key, value]) => key.endsWith(suffix) && typeof value === 'number' && Number.isFinite(value) && value > 0);
  return found?.[1] as number | undefined;
}

/**
 * Layers and KV width from model_info: KV heads × (key + value head size), the head size being
 * the embedding width over the attention heads where the key and value lengths are not given.
 */
function shapeOf(info: Record<string, unknown> | undefined): OllamaModelShape | undefined {
  const layers = numberEndingWith(info, '.block_count');
  const heads = numberEndingWith(info, '.attention.head_count');
  const kvHeads = numberEndingWith(info, '.attention.head_count_kv') ?? heads;
  const headSize = heads === undefined ? undefined : (numberEndingWith(info, '.embedding_length') ?? 0) / heads;
  const keyLength = numberEndingWith(info, '.attention.key_length') ?? headSize;
  const valueLength = numberEndingWith(info, '.attention.value_length') ?? headSize;
  if (layers === undefined || kvHeads === undefined || !keyLength || !valueLength) return undefined;
  return { layers: Math.round(layers), kvElementsPerTokenPerLayer: Math.round(kvHeads * (keyLength + valueLength)) };
}

/** The error and its causes, outermost first (bounded: a cause chain can loop). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < 8; current = (current as { cause?: unknown }).cause) chain.push(current);
  return chain;
}

const codeOf = (value: unknown): string | undefined => {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Plain HTTP to Ollama's management API (`/api/version`, `/api/tags`, `/api/show`, `/api/pull`,
 * `/api/delete`), every answer checked with zod and bounded. Failures come as OllamaError in
 * words: a refused connection is "not running", with how to start it.
 */
export class OllamaApi {
  readonly #base: string;
  readonly #fetch: HttpFetch;
  /** "127.0.0.1:11434", for messages. */
  readonly host: string;

  readonly #pullStallMs: number;

  /**
   * `fetchImpl`: the adapters' transport by default (providerFetch: a `*.localhost` address is
   * this machine, never looked up). `pullStallMs`: a pull with no progress line for this long has
   * stalled (default 5 minutes; Ollama sends one at least every few seconds while it downloads).
   */
  constructor(baseUrl: string, fetchImpl: HttpFetch = providerFetch, options: { pullStallMs?: number } = {}) {
    this.#base = baseUrl.replace(/\/+$/, '');
    this.host = new URL(this.#base).host;
    this.#fetch = fetchImpl;
    this.#pullStallMs = options.pullStallMs ?? 5 * 60_000;
  }

  async version(signal?: AbortSignal): Promise<string> {
    return versionSchema.parse(await this.#json('GET', '/api/version', undefined, signal)).version;
  }

  /** Installed models with size, family, parameters and quantisation; context lengths and layer shapes from `/api/show`. */
  async models(signal?: AbortSignal): Promise<OllamaListedModel[]> {
    const listed = this.#parse(tagsSchema, await this.#json('GET', '/api/tags', undefined, signal), '/api/tags');
    const tags = { models: listed.models.slice(0, maxTags).flatMap((entry) => tagSchema.safeParse(entry).data ?? []) };
    // /api/show is local and cheap, but not for thousands at once; a model it cannot describe (past the first ones, or failed) has no context length.
    const shown = await askEach(tags.models, { most: showMost, atOnce: showAtOnce, signal }, (model) => this.#json('POST', '/api/show', { model: model.name }, signal));
    return tags.models.map((model, index) => {
      const info = showSchema.safeParse(shown[index]).data?.model_info;
      const contextLength = numberEndingWith(info, '.context_length');
      const shape = shapeOf(info);
      return {
        name: model.name,
        sizeBytes: model.size ?? 0,
        ...(model.details?.family ? { family: model.details.family } : {}),
        ...(model.details?.parameter_size ? { parameterSize: model.details.parameter_size } : {}),
        ...(model.details?.quantization_level ? { quantization: model.details.quantization_level } : {}),
        ...(contextLength === undefined ? {} : { contextLength }),
        ...(model.modified_at ? { modifiedAt: model.modified_at } : {}),
        ...(shape === undefined ? {} : { shape }),
      };
    });
  }

  async delete(name: string, signal?: AbortSignal): Promise<void> {
    await this.#send('DELETE', '/api/delete', { model: name }, signal);
  }

  /**
   * Streams `/api/pull`'s progress lines to `onLine` until Ollama says success. Aborting `signal`
   * closes the connection (Ollama stops the download); the promise then rejects as cancelled.
   */
  async pull(name: string, onLine: (line: OllamaPullLine) => void, signal?: AbortSignal): Promise<void> {
    // A pull that stops sending progress ends in words, not by a transport's own limit (providerFetch leaves time to its caller).
    const stall = new AbortController();
    const stalled = () => stall.abort(new OllamaError('unreachable', `The pull of ${name} stalled: Ollama at ${this.host} sent no progress for ${Math.round(this.#pullStallMs / 60_000) || 1} minute(s); pull it again to resume`));
    let timer = setTimeout(stalled, this.#pullStallMs);
    const watched = signal ? AbortSignal.any([signal, stall.signal]) : stall.signal;
    try {
      await this.#pullLines(name, onLine, watched, () => {
        clearTimeout(timer);
        timer = setTimeout(stalled, this.#pullStallMs);
      });
    } catch (error) {
      if (stall.signal.aborted && !(signal?.aborted ?? false)) throw stall.signal.reason as OllamaError;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async #pullLines(name: string, onLine: (line: OllamaPullLine) => void, signal: AbortSignal, progressed: () => void): Promise<void> {
    const response = await this.#send('POST', '/api/pull', { model: name, stream: true }, signal);
    progressed();
    const body = response.body;
    if (!body) throw new OllamaError('malformed', `Ollama at ${this.host} answered the pull of ${name} with no body`);
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let pending = '';
    let succeeded = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        progressed();
        const lines = (pending + (done ? '\n' : value)).split('\n');
        pending = lines.pop() ?? '';
        if (pending.length > maxLineChars) throw new OllamaError('malformed', `Ollama at ${this.host} sent a progress line longer than ${maxLineChars} characters`);
        for (const text of lines) {
          if (text.trim() === '') continue;
          const line = this.#pullLine(text);
          if (line.error !== undefined) {
            const words = providerText(line.error);
            throw new OllamaError(/not found|does not exist|pull model manifest/i.test(line.error) ? 'not-found' : 'server', `Ollama could not pull ${name}: ${words}`);
          }
          const progress: OllamaPullLine = { status: line.status ?? '' };
          if (line.digest !== undefined) progress.digest = line.digest;
          if (line.completed !== undefined) progress.completed = line.completed;
          if (line.total !== undefined) progress.total = line.total;
          onLine(progress);
          if (line.status === 'success') succeeded = true;
        }
        if (done) break;
      }
    } catch (error) {
      throw this.#failure(error, signal);
    } finally {
      // Leaving early (error, cancel) closes the connection, which is what stops Ollama.
      await reader.cancel().catch(() => undefined);
    }
    if (!succeeded) throw new OllamaError('unreachable', `The pull of ${name} from Ollama at ${this.host} ended before it finished (cut off); pull it again to resume`);
  }

  #pullLine(text: string): z.infer<typeof pullLineSchema> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new OllamaError('malformed', `Ollama at ${this.host} sent a progress line that is not JSON: ${providerText(text, 120)}`);
    }
    return this.#parse(pullLineSchema, parsed, '/api/pull');
  }

  #parse<T extends z.ZodType>(schema: T, value: unknown, path: string): z.output<T> {
    const result = schema.safeParse(value);
    if (!result.success) throw new OllamaError('malformed', `Ollama at ${this.host} answered ${path} in a shape this app does not know: ${result.error.issues[0]?.message ?? 'invalid'}`);
    return result.data;
  }

  async #json(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const response = await this.#send(method, path, body, signal);
    try {
      const { text, whole } = await readBoundedText(response, maxJsonBytes);
      if (!whole) throw new OllamaError('malformed', `Ollama at ${this.host} answered ${path} with more than ${maxJsonBytes / (1024 * 1024)} MB, which is not Ollama's`);
      return JSON.parse(text) as unknown;
    } catch (error) {
      if (error instanceof OllamaError) throw error;
      if (error instanceof SyntaxError) throw new OllamaError('malformed', `Ollama at ${this.host} answered ${path} with something that is not JSON`);
      throw this.#failure(error, signal);
    }
  }

  /** One request; a refused connection or an HTTP error becomes an OllamaError in words. */
  async #send(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<Response> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        // A redirect is not followed (as for the adapters' chats): it is answered as the status it is.
        redirect: 'manual',
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw this.#failure(error, signal);
    }
    if (response.ok) return response;
    const text = (await readBoundedText(response, 20_000).catch(() => ({ text: '' }))).text;
    let reason = text;
    try {
      const error = (JSON.parse(text) as { error?: unknown } | null)?.error;
      if (typeof error === 'string') reason = error;
    } catch {
      // not JSON: keep the text
    }
    const words = providerText(reason || `${response.status} ${response.statusText}`);
    if (response.status === 404) throw new OllamaError('not-found', `Ollama at ${this.host} has no such model: ${words}`);
    throw new OllamaError('server', `Ollama at ${this.host} answered ${response.status}: ${words}`);
  }

  #failure(error: unknown, signal: AbortSignal | undefined): OllamaError {
    if (error instanceof OllamaError) return error;
    // A bound in time (AbortSignal.timeout) is no one cancelling: Ollama was too slow.
    const timedOut = (signal?.aborted && (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError') || causes(error).some((link) => (link as { name?: unknown } | null)?.name === 'TimeoutError');
    if (timedOut) return new OllamaError('unreachable', `Ollama at ${this.host} did not answer in time: it may be busy loading a model; try again`, { cause: error });
    if (signal?.aborted) return new OllamaError('cancelled', 'Cancelled', { cause: error });
    const codes = causes(error).map(codeOf);
    if (isConnectionRefused(error)) return new OllamaError('not-running', notRunningMessage(this.host), { cause: error });
    if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')) {
      return new OllamaError('unreachable', `Ollama's host ${this.host} was not found: check the address in Providers`, { cause: error });
    }
    return new OllamaError('unreachable', `Ollama at ${this.host} could not be reached (${providerText(error instanceof Error ? error.message : String(error), 200)})`, { cause: error });
  }
}
