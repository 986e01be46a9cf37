import type { ChatChunk, ChatRequest } from '../modelCall/modelCallTypes.ts';

export interface ModelInfo {
  id: string;
  contextLength?: number;
  /** Local file details (llama.cpp): size in bytes, architecture, quantisation. */
  sizeBytes?: number;
  architecture?: string;
  quantization?: string;
}

export interface ModelCapabilities {
  contextLength: number;
  structuredOutput: boolean;
  streaming: boolean;
}

/**
 * A live check. `models`: the ids the server listed, where the check read its model list (a
 * provider with no model named uses the first; an empty list means it can serve no task).
 */
export type HealthStatus = { ok: true; detail: string; models?: string[] } | { ok: false; code: string; detail: string };

/**
 * One model backend. Kept small on purpose (Vercel AI SDK's provider spec): adapters translate,
 * they never retry or fall back; that is the router's job, so every SDK's own retries are 0.
 * Errors are thrown as ProviderError so the router can classify them.
 */
export interface LlmProvider {
  readonly id: string;
  /** The descriptor's type id (providers/descriptors). */
  readonly type: string;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  health(signal?: AbortSignal): Promise<HealthStatus>;
  /** Streams the answer; aborting `signal` stops the underlying generation. */
  chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk>;
  capabilities(model: string): ModelCapabilities;
  /**
   * Asks the server for the model's context window (a model list's extras, llama-server's
   * `/props`, Ollama's `/api/show`) so that `capabilities(model).contextLength` reports it from
   * then on. Asked once per model and cached by the adapter (rebuilt when its configuration
   * changes); bounded in time and never throws: a slow or silent server leaves the default. A
   * configured window wins and is never asked. Called before a prompt is sized for the model.
   */
  learnContextLength?(model: string, signal?: AbortSignal): Promise<void>;
  /**
   * Tokens of `text` by the model's own tokenizer, for providers that have one at hand
   * (llama.cpp); undefined when the model is not loaded. Prompts are sized with it so a repair
   * never overflows the window; without it callers count with o200k and keep a margin.
   */
  countTokens?(model: string, text: string): number | undefined;
}
