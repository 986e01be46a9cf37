import type { BalanceStrategy } from '../../src-shared/domain/balanceStrategy.ts';
import type { TaskKind, Target } from '../../src-shared/domain/provider.ts';

/**
 * The vocabulary of a model call: what a service asks the gateway, what it gets back, and what an
 * adapter streams. A types-only leaf (it imports nothing but shared domain types), so every layer
 * may import it: services and the gateway above, the router, adapters and the store below. Nothing
 * here runs; implementations live in gateway/ (the one way to call a model), router/ (policy and
 * resilience) and providers/ (adapters).
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A JSON Schema object (draft 2020-12 subset every adapter can map natively). */
export type JsonSchema = Record<string, unknown>;

/** One request to one adapter: a model and its messages (the router fills it per target). */
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

/** US dollars per million tokens of one model. */
export interface Pricing {
  inputPerMillion: number;
  outputPerMillion: number;
}

export type AttemptOutcome = 'ok' | 'error' | 'skipped' | 'cancelled';

/** One try at one target, or one target passed over (with why). */
export interface AttemptRecord {
  requestId: string;
  attemptNo: number;
  startedAt: string;
  task: string;
  providerId: string;
  model: string;
  outcome: AttemptOutcome;
  errorKind?: string | undefined;
  status?: number | undefined;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  latencyMs?: number | undefined;
  firstTokenMs?: number | undefined;
  costUsd?: number | undefined;
  /** Why this target was chosen, or why it was skipped. */
  reason: string;
  /** The load-balancing strategy that put this target where it was tried (absent in records made before it existed). */
  strategy?: BalanceStrategy | undefined;
  message?: string | undefined;
  /** The project and generation run the call was for (usage by project and run). */
  projectId?: string | undefined;
  runId?: string | undefined;
  /** The prompt template the call was made from (`name@version#hash`: its text's hash), when it was made from one. */
  promptVersion?: string | undefined;
  /** The answer came from the response cache: nothing was sent, it cost 0. */
  cacheHit?: boolean | undefined;
  /** A request sent to a cloud provider: what left the machine (the audit trail records it). */
  egress?: AttemptEgress | undefined;
}

export interface AttemptEgress {
  /** The request's messages as sent, in UTF-8 bytes (JSON). */
  bytesSent: number;
  bytesReceived: number;
  /** SHA-256 of the messages as sent: which prompt it was, never the prompt. */
  promptSha256: string;
  /** What the privacy guard took out, by kind. */
  redactions: Record<string, number>;
}

/** What the caller hears while a call runs. */
export type RouterEvent =
  | { type: 'attempt'; target: Target; attemptNo: number }
  | { type: 'text'; text: string }
  /** Text already streamed belongs to a failed attempt: discard it, the answer starts again. */
  | { type: 'restart'; reason: string };

/** A model call as a service asks for it: a task, never a provider (the router picks targets). */
export interface RouteRequest {
  task: TaskKind;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  schema?: ChatRequest['schema'];
  signal?: AbortSignal;
  onEvent?: (event: RouterEvent) => void;
  /** Only this target (used to repair an answer on the model that gave it). */
  only?: Target;
  /**
   * Most characters of answer to read: past it the router stops the stream (the provider's
   * request is aborted) and the result ends with finishReason 'too-long' and `text` cut to this
   * many characters, so a runaway answer never fills memory or the store.
   */
  maxChars?: number;
  /** The most this call may take across every target and retry; default: the router's `deadlineMs`. */
  deadlineMs?: number;
  /**
   * Calls with the same key (a generation run's id) keep going to the target that answered the
   * last of them while it is healthy, whatever the task's strategy, so its prompt or KV cache is reused.
   */
  stickyKey?: string;
  /** The project the call is for: one kept local (projects.local_only) is never sent to a cloud provider. */
  projectId?: string;
  /** The generation run the call belongs to (usage by run). */
  runId?: string;
  /**
   * The response cache for this call: 'use' (the default when the cache is on) answers from it
   * when the same request was answered before; 'bypass' asks the model again (a "regenerate")
   * and keeps the new answer.
   */
  cache?: 'use' | 'bypass';
  /**
   * Whether an answer that ended normally may be kept by the response cache; absent: any. A
   * structured answer (chatStructured) is kept only when it fits its schema, so an unusable one
   * is never replayed.
   */
  keepable?: (text: string) => boolean;
  /** The prompt template's version (name@version#hash): part of the cache key, so an edited template never hits. */
  promptVersion?: string;
}

/** What a caller needs to size a follow-up prompt (a repair) for the target that answered. */
export interface TargetTokens {
  /** The target's context window, in tokens. */
  contextLength: number;
  /**
   * Tokens of `text` for this target: the provider's own tokenizer where it has one (llama.cpp),
   * else o200k with a 15% margin for other tokenizers. Never an underestimate by design: text too
   * long to tokenize cheaply counts as its UTF-8 byte length, which bounds any BPE count.
   */
  count(text: string): number;
}

export interface RouteResult {
  requestId: string;
  text: string;
  target: Target;
  finishReason: FinishReason;
  inputTokens: number;
  outputTokens: number;
  attempts: AttemptRecord[];
  /** The answering target's window and token counter, to size a follow-up (repair) prompt for it. */
  tokens?: TargetTokens;
}

/** A circuit breaker's state per provider+model, as the UI shows it. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** The one way a service calls a model (the gateway's `chat`), as services receive it. */
export type ModelChat = (request: RouteRequest) => Promise<RouteResult>;

/**
 * What the gateway knew of an attempt's call when it was recorded: the configuration generation
 * the call read (cacheUntilChange) and its provider's type, so a listener needs no look at the
 * store (absent before any call was configured).
 */
export interface AttemptContext {
  generation?: number;
  providerType?: string | undefined;
}
