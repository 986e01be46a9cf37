import type { ProviderType } from '../../src-shared/domain/provider.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A JSON Schema object (draft 2020-12 subset every adapter can map natively). */
export type JsonSchema = Record<string, unknown>;

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /**
   * Structured output: the answer must be JSON matching this schema. Each adapter maps it to
   * its native mechanism (llama.cpp grammar, Ollama `format`, OpenAI `response_format`,
   * Anthropic forced tool); the router validates the result with zod either way.
   */
  schema?: { name: string; jsonSchema: JsonSchema };
}

/**
 * Why an answer ended. `length`: the model hit its token limit (max tokens or the context
 * window), so the answer is cut off. `too-long`: the router stopped reading at the caller's
 * character cap (`RouteRequest.maxChars`); adapters never report it themselves.
 */
export type FinishReason = 'stop' | 'length' | 'too-long' | 'cancelled' | 'error';

/** What a chat stream yields: text as it is generated, then usage, then one finish. */
export type ChatChunk =
  | { type: 'text'; text: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number }
  | { type: 'finish'; reason: FinishReason };

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

export type HealthStatus = { ok: true; detail: string } | { ok: false; code: string; detail: string };

/**
 * One model backend. Kept small on purpose (Vercel AI SDK's provider spec): adapters translate,
 * they never retry or fall back; that is the router's job, so every SDK's own retries are 0.
 * Errors are thrown as ProviderError so the router can classify them.
 */
export interface LlmProvider {
  readonly id: string;
  readonly type: ProviderType;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  health(signal?: AbortSignal): Promise<HealthStatus>;
  /** Streams the answer; aborting `signal` stops the underlying generation. */
  chat(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk>;
  capabilities(model: string): ModelCapabilities;
  /**
   * Tokens of `text` by the model's own tokenizer, for providers that have one at hand
   * (llama.cpp); undefined when the model is not loaded. Prompts are sized with it so a repair
   * never overflows the window; without it callers count with o200k and keep a margin.
   */
  countTokens?(model: string, text: string): number | undefined;
}
