// The model lifecycle (serialised loads, idle unload, one FIFO turn per sequence, dispose) and the
// callback-to-stream bridge share one closure's state, so they stay in this file; the pieces that
// need none of it live beside it: LlamaGrammars, raceAbort, toLlamaHistory, llamaFinishReason.
import {
  getLlama,
  InsufficientMemoryError,
  LlamaChat,
  LlamaLogLevel,
  type ChatHistoryItem,
  type Llama,
  type LlamaChatResponse,
  type LlamaContext,
  type LlamaModel,
} from 'node-llama-cpp';
import type { HealthStatus, LlmProvider, ModelCapabilities, ModelInfo } from './LlmProvider.ts';
import { ProviderError } from './ProviderError.ts';
import { defaultThreadCount } from './defaultThreadCount.ts';
import { readGgufInfo } from './ggufInfo.ts';
import { findLocalModel, findLocalModelFiles, listLocalModels } from './localModels.ts';
import type { ChatChunk, ChatRequest, FinishReason } from '../modelCall/modelCallTypes.ts';
import { llamaFinishReason } from './llamaFinishReason.ts';
import { LlamaGrammars } from './LlamaGrammars.ts';
import { raceAbort, type Raced } from './raceAbort.ts';
import { toLlamaHistory } from './toLlamaHistory.ts';

export interface LlamaCppProviderOptions {
  id: string;
  /** Folders searched for `*.gguf`, in order: the repo's `models/`, then the data dir's. */
  modelDirs: string[];
  /** CPU threads per context; default `defaultThreadCount(llama.cpuMathCores)`. */
  threads?: number;
  /** `'auto'` (default) offloads to a GPU when node-llama-cpp finds one; `false` is CPU only. */
  gpu?: 'auto' | false;
  /** A loaded model with no chat for this long is freed (default 5 minutes). */
  idleUnloadMs?: number;
  /** Context size in tokens, capped by the model's training context (default 8192). */
  contextSize?: number;
  /** Supplies the llama.cpp binding (tests share one); the caller then owns and disposes it. */
  loadLlama?: () => Promise<Llama>;
}

/**
 * On-device models through node-llama-cpp. Model ids are GGUF file paths relative to a model
 * folder. A model is loaded on its first chat (concurrent first chats share one load; loads
 * and unloads run one at a time), kept while used and freed after `idleUnloadMs` idle.
 *
 * Each loaded model has one context with one sequence, so its chats run one after another in
 * arrival order; parallelism across requests is the router's concern. Reusing the sequence
 * lets a follow-up chat skip re-evaluating the prompt prefix it shares with the last one.
 *
 * `chat()`:
 * - Yields text as it is generated, then `usage` (prompt tokens counted with the model's own
 *   tokenizer on the chat-template-rendered prompt; output tokens as sampled), then `finish`.
 * - **Cancelling never throws.** Aborting `signal` (while waiting for the model to load, for
 *   its turn, or mid-generation) stops generation at the next token and ends the stream with
 *   the text so far, `usage`, and `finish: 'cancelled'`; the model stays loaded and usable.
 *   Breaking out of the iteration early also stops the generation.
 * - A trailing assistant message is continued (prefill) rather than answered.
 * - Throws ProviderError: 'unavailable' (model file missing / not GGUF / binding or memory
 *   failure), 'context-length' (prompt does not fit, checked before generating),
 *   'bad-request' (schema the grammar converter rejects, no messages), 'server' (llama.cpp
 *   failed while loading or generating).
 */
export type LlamaCppProvider = LlmProvider & {
  /** Stops running chats (they finish as 'cancelled') and frees every model and context. */
  dispose(): Promise<void>;
};

interface LoadedModel {
  id: string;
  model: LlamaModel;
  context: LlamaContext;
  chat: LlamaChat;
  contextSize: number;
  /** Chats holding or waiting for this model; it is never unloaded while > 0. */
  users: number;
  /** Tail of the FIFO of chats on the model's single sequence. */
  turn: Promise<void>;
  idleTimer: NodeJS.Timeout | undefined;
  unloaded: boolean;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createLlamaCppProvider(options: LlamaCppProviderOptions): LlamaCppProvider {
  const { id, modelDirs } = options;
  const idleUnloadMs = options.idleUnloadMs ?? 5 * 60_000;
  const configuredContextSize = options.contextSize ?? 8192;
  const models = new Map<string, Promise<LoadedModel>>();
  /** Models whose load finished, for the synchronous countTokens(). */
  const ready = new Map<string, LoadedModel>();
  /** Training context per model id, for the synchronous capabilities(). */
  const trainContext = new Map<string, number>();
  const running = new Set<AbortController>();
  let llamaPromise: Promise<Llama> | undefined;
  let loadQueue: Promise<unknown> = Promise.resolve();
  let disposed = false;

  function llama(): Promise<Llama> {
    if (llamaPromise === undefined) {
      const load = options.loadLlama ?? (() => getLlama({ gpu: options.gpu ?? 'auto', build: 'never', logLevel: LlamaLogLevel.error }));
      const promise = load();
      llamaPromise = promise;
      promise.catch(() => {
        if (llamaPromise === promise) llamaPromise = undefined; // try again next time
      });
    }
    return llamaPromise;
  }
  const grammars = new LlamaGrammars(id, llama);

  /** Loads and unloads run one at a time, so two models never fight over memory mid-load. */
  function serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = loadQueue.then(task, task);
    loadQueue = run.catch(() => undefined);
    return run;
  }

  async function load(modelId: string, path: string): Promise<LoadedModel> {
    const info = await readGgufInfo(path, { providerId: id });
    if (info.contextLength !== undefined) trainContext.set(modelId, info.contextLength);
    const binding = await llama().catch((error: unknown) => {
      throw new ProviderError(id, 'unavailable', `the llama.cpp binding could not be loaded: ${message(error)}`, { cause: error });
    });
    let model: LlamaModel;
    try {
      model = await binding.loadModel({ modelPath: path });
    } catch (error) {
      const kind = error instanceof InsufficientMemoryError ? 'unavailable' : 'server';
      throw new ProviderError(id, kind, `llama.cpp could not load ${modelId} (${path}): ${message(error)}`, { cause: error });
    }
    try {
      const contextSize = Math.min(configuredContextSize, model.trainContextSize || configuredContextSize);
      const threads = options.threads ?? defaultThreadCount(binding.cpuMathCores);
      const context = await model.createContext({ contextSize, threads, sequences: 1 });
      const chat = new LlamaChat({ contextSequence: context.getSequence() });
      return { id: modelId, model, context, chat, contextSize: context.contextSize, users: 0, turn: Promise.resolve(), idleTimer: undefined, unloaded: false };
    } catch (error) {
      await model.dispose();
      const kind = error instanceof InsufficientMemoryError ? 'unavailable' : 'server';
      throw new ProviderError(id, kind, `llama.cpp could not create a context for ${modelId}: ${message(error)}`, { cause: error });
    }
  }

  async function free(entry: LoadedModel): Promise<void> {
    entry.chat.dispose({ disposeSequence: true });
    await entry.context.dispose();
    await entry.model.dispose();
  }

  function unloadIfIdle(entry: LoadedModel): void {
    if (entry.users > 0 || entry.unloaded) return;
    entry.unloaded = true;
    models.delete(entry.id);
    ready.delete(entry.id);
    void serialised(() => free(entry)).catch(() => undefined);
  }

  /** The loaded model with `users` taken, or not ok when `signal` aborted first. */
  async function acquire(modelId: string, path: string, signal: AbortSignal): Promise<Raced<LoadedModel>> {
    for (;;) {
      let pending = models.get(modelId);
      if (pending === undefined) {
        if (disposed) throw new ProviderError(id, 'unavailable', 'the llama.cpp provider was disposed');
        const loading = serialised(() => load(modelId, path));
        pending = loading;
        models.set(modelId, loading);
        // Idle from the start: if every waiting chat was cancelled, the model still unloads.
        loading.then((entry) => {
          ready.set(modelId, entry);
          scheduleUnload(entry);
        }, () => {
          if (models.get(modelId) === loading) models.delete(modelId);
        });
      }
      const raced = await raceAbort(pending, signal);
      if (!raced.ok) return raced;
      const entry = raced.value;
      if (entry.unloaded) continue; // unloaded between its load finishing and this line
      entry.users += 1;
      clearTimeout(entry.idleTimer);
      entry.idleTimer = undefined;
      return raced;
    }
  }

  function scheduleUnload(entry: LoadedModel): void {
    if (entry.users > 0 || disposed || entry.unloaded) return;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => unloadIfIdle(entry), idleUnloadMs);
    entry.idleTimer.unref();
  }

  function release(entry: LoadedModel): void {
    entry.users -= 1;
    scheduleUnload(entry);
  }

  /** Waits for this chat's turn on the model's sequence; the result releases it. */
  async function takeTurn(entry: LoadedModel, signal: AbortSignal): Promise<(() => void) | undefined> {
    let done: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const previous = entry.turn;
    entry.turn = previous.then(() => mine);
    const raced = await raceAbort(previous, signal);
    if (!raced.ok) {
      done();
      return undefined;
    }
    return done;
  }

  function countPromptTokens(entry: LoadedModel, history: ChatHistoryItem[]): number {
    const { contextText } = entry.chat.chatWrapper.generateContextState({ chatHistory: history });
    return contextText.tokenize(entry.model.tokenizer).length;
  }

  async function* generate(entry: LoadedModel, request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    const history = toLlamaHistory(request.messages);
    const inputTokens = countPromptTokens(entry, history);
    const room = entry.contextSize - inputTokens;
    if (room < 1) {
      throw new ProviderError(id, 'context-length', `the prompt is ${inputTokens} tokens but ${request.model} runs with a ${entry.contextSize}-token context`);
    }
    const maxTokens = Math.max(1, Math.min(request.maxTokens ?? room, room));
    const grammar = request.schema === undefined ? undefined : await grammars.for(request.schema);

    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) controller.abort(signal.reason);
    running.add(controller);

    const pending: string[] = [];
    let wake: (() => void) | undefined;
    let settled = false;
    let outputTokens = 0;
    let result: LlamaChatResponse | undefined;
    let failure: unknown;
    const generation = entry.chat
      .generateResponse(history, {
        signal: controller.signal,
        stopOnAbortSignal: true,
        maxTokens,
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(grammar === undefined ? {} : { grammar }),
        onTextChunk: (text) => {
          if (text === '') return;
          pending.push(text);
          wake?.();
        },
        // All sampled tokens, thought segments included (onTextChunk has the answer only).
        onResponseChunk: (chunk) => {
          outputTokens += chunk.tokens.length;
        },
      })
      .then(
        (response) => void (result = response),
        (error: unknown) => void (failure = error),
      )
      .finally(() => {
        settled = true;
        wake?.();
      });
    try {
      for (;;) {
        if (pending.length > 0) {
          const text = pending.join('');
          pending.length = 0;
          yield { type: 'text', text };
          continue;
        }
        if (settled) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      if (!settled) controller.abort(new Error('the stream consumer stopped reading'));
      await generation;
      signal.removeEventListener('abort', onAbort);
      running.delete(controller);
    }
    let reason: FinishReason;
    if (result !== undefined) reason = llamaFinishReason(result.metadata.stopReason); // 'abort' when stopped mid-answer
    else if (controller.signal.aborted) reason = 'cancelled'; // stopped before the first token
    else throw new ProviderError(id, 'server', `llama.cpp failed while generating with ${request.model}: ${message(failure)}`, { cause: failure });
    yield { type: 'usage', inputTokens, outputTokens };
    yield { type: 'finish', reason };
  }

  async function* chat(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatChunk> {
    if (disposed) throw new ProviderError(id, 'unavailable', 'the llama.cpp provider was disposed');
    if (request.messages.length === 0) throw new ProviderError(id, 'bad-request', 'a chat needs at least one message');
    const path = await findLocalModel(modelDirs, request.model);
    if (path === undefined) {
      throw new ProviderError(id, 'unavailable', `model "${request.model}" was not found in ${modelDirs.join(', ') || '(no model folders)'}`);
    }
    const cancelled: ChatChunk[] = [
      { type: 'usage', inputTokens: 0, outputTokens: 0 },
      { type: 'finish', reason: 'cancelled' },
    ];
    if (signal.aborted) return yield* cancelled;
    const acquired = await acquire(request.model, path, signal);
    if (!acquired.ok) return yield* cancelled;
    const entry = acquired.value;
    let endTurn: (() => void) | undefined;
    try {
      endTurn = await takeTurn(entry, signal);
      if (endTurn === undefined || disposed) return yield* cancelled;
      yield* generate(entry, request, signal);
    } finally {
      endTurn?.();
      release(entry);
    }
  }

  function cappedContext(modelId: string): number {
    const train = trainContext.get(modelId);
    return train === undefined ? configuredContextSize : Math.min(train, configuredContextSize);
  }

  return {
    id,
    type: 'llama-cpp',

    async listModels(): Promise<ModelInfo[]> {
      const local = await listLocalModels(modelDirs);
      const result: ModelInfo[] = [];
      for (const model of local) {
        if (model.info === undefined) continue;
        if (model.info.contextLength !== undefined) trainContext.set(model.id, model.info.contextLength);
        const info: ModelInfo = { id: model.id, contextLength: cappedContext(model.id), sizeBytes: model.sizeBytes, architecture: model.info.architecture };
        if (model.info.quantization !== undefined) info.quantization = model.info.quantization;
        result.push(info);
      }
      return result;
    },

    async health(): Promise<HealthStatus> {
      let binding: Llama;
      try {
        binding = await llama();
      } catch (error) {
        return { ok: false, code: 'binding', detail: `the llama.cpp binding could not be loaded: ${message(error)}` };
      }
      const files = await findLocalModelFiles(modelDirs);
      if (files.length === 0) return { ok: false, code: 'no-models', detail: `no .gguf models in ${modelDirs.join(', ') || '(no model folders)'}` };
      const device = binding.gpu === false ? 'CPU' : `GPU (${binding.gpu})`;
      return { ok: true, detail: `${files.length} local model${files.length === 1 ? '' : 's'}; llama.cpp on ${device}` };
    },

    chat,

    /**
     * Synchronous, so the training context comes from what listModels() or a load has read;
     * before either, the configured context size is reported (and the header is read in the
     * background for the next call).
     */
    capabilities(model: string): ModelCapabilities {
      if (!trainContext.has(model)) {
        void findLocalModel(modelDirs, model)
          .then((path) => (path === undefined ? undefined : readGgufInfo(path, { providerId: id })))
          .then((info) => info?.contextLength !== undefined && trainContext.set(model, info.contextLength))
          .catch(() => undefined);
      }
      return { contextLength: cappedContext(model), structuredOutput: true, streaming: true };
    },

    /** The model's own tokenizer, once it is loaded (a chat loads it); undefined before. */
    countTokens(model: string, text: string): number | undefined {
      const entry = ready.get(model);
      if (entry === undefined || entry.unloaded) return undefined;
      return entry.model.tokenize(text).length;
    },

    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      for (const controller of running) controller.abort(new Error('the llama.cpp provider was disposed'));
      const entries = await Promise.allSettled([...models.values()]);
      models.clear();
      ready.clear();
      for (const settled of entries) {
        if (settled.status !== 'fulfilled') continue;
        const entry = settled.value;
        clearTimeout(entry.idleTimer);
        entry.unloaded = true;
        await entry.turn; // running and queued chats have ended (queued ones see `disposed`)
        await serialised(() => free(entry));
      }
      grammars.clear();
      if (options.loadLlama === undefined && llamaPromise !== undefined) {
        const binding = await llamaPromise.catch(() => undefined);
        await binding?.dispose();
      }
    },
  };
}
