import type { ProviderConfig, Routing, TaskKind, Target } from '../../src-shared/domain/provider.ts';
import type { PrivacyMode } from '../../src-shared/domain/settings.ts';
import type { RoutingStrategies } from '../../src-shared/domain/balanceStrategy.ts';
import type { ChatMessage, ChatRequest, FinishReason, LlmProvider } from '../providers/LlmProvider.ts';
import type { AttemptRecord } from '../store/AttemptRepository.ts';
import type { TargetTokens } from './targetTokens.ts';

export interface RouterOptions {
  /** Retries on the same target after the first try for errors (5xx, resets): 2 means up to 3 tries. */
  maxRetries: number;
  /** Retries on the same target for 429, counted apart from `maxRetries`. */
  maxRateLimitRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Defaults for providers without their own `firstTokenTimeoutMs` / `totalTimeoutMs`. */
  firstTokenTimeoutMs: number;
  totalTimeoutMs: number;
  /** The most one call may take across every target, retry and wait (a request's `deadlineMs` wins). */
  deadlineMs: number;
  breakerThreshold: number;
  breakerHalfOpenAfterMs: number;
  random: () => number;
  now: () => number;
}

export const defaultRouterOptions: RouterOptions = {
  maxRetries: 2,
  // 13 tries with waits growing to 10 s (70-95 s in all): longer than the one-minute window
  // providers count their limits in, so a storm or a spent per-minute quota is ridden out.
  maxRateLimitRetries: 12,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  // A local model may need to load before its first token.
  firstTokenTimeoutMs: 120_000,
  totalTimeoutMs: 10 * 60_000,
  deadlineMs: 15 * 60_000,
  breakerThreshold: 5,
  breakerHalfOpenAfterMs: 30_000,
  random: Math.random,
  now: Date.now,
};

export interface Pricing {
  inputPerMillion: number;
  outputPerMillion: number;
}

export interface RouterDeps {
  providers: () => ProviderConfig[];
  routing: () => Routing;
  /** Each task's load-balancing strategy (absent or a task without one: `ordered`). */
  strategies?: () => RoutingStrategies;
  privacyMode: () => PrivacyMode;
  provider: (config: ProviderConfig) => LlmProvider;
  defaultModel: (config: ProviderConfig) => string | undefined;
  hasKey: (config: ProviderConfig) => boolean;
  recordAttempt: (record: AttemptRecord) => void;
  pricing?: (providerId: string, model: string) => Pricing | undefined;
  onStatusChange?: (providerId: string) => void;
}

export type RouterEvent =
  | { type: 'attempt'; target: Target; attemptNo: number }
  | { type: 'text'; text: string }
  /** Text already streamed belongs to a failed attempt: discard it, the answer starts again. */
  | { type: 'restart'; reason: string };

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

export type BreakerState = 'closed' | 'open' | 'half-open';
