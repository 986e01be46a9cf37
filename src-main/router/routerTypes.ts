import type { RedactionRules } from '../secrets/PromptRedaction.ts';
import type { ProviderConfig, Routing, TaskKind } from '../../src-shared/domain/provider.ts';
import type { PrivacyMode } from '../../src-shared/domain/settings.ts';
import type { RoutingStrategies } from '../../src-shared/domain/balanceStrategy.ts';
import type { LlmProvider } from '../providers/LlmProvider.ts';
import type { AttemptEgress, AttemptRecord, Pricing, RouteRequest } from '../modelCall/modelCallTypes.ts';
import type { Target } from '../../src-shared/domain/provider.ts';

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
  /** Wall-clock time (when an attempt started, ages of budgets and samples). */
  now: () => number;
  /**
   * What durations (latency, time to first token, the call's deadline) are measured on: monotonic, so a clock set back
   * during a call never makes a negative latency. Default `performance.now`, or `now` when only
   * that is given (a test's fake clock then drives both).
   */
  clock?: () => number;
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

/**
 * What one call is routed by, as of the moment it starts: the gateway reads it in one look at
 * the store and hands it to `Router.chat`. Without it the router asks its deps (below).
 */
export interface CallConfig {
  providers: ProviderConfig[];
  routing: Routing;
  strategies?: RoutingStrategies | undefined;
  privacyMode: PrivacyMode;
  /** 'project' when privacyMode is local-only because the call's project is kept local. */
  privacyScope?: 'project' | undefined;
  pricing?: ((providerId: string, model: string) => Pricing | undefined) | undefined;
  /** The privacy guard's rules when it is on: what cloud targets must not receive (redactForTarget). */
  redaction?: RedactionRules | undefined;
  /**
   * What else the plan depends on (which providers have a key, the models a server lists or the
   * GGUFs found): while it and this object stay the same, an `ordered` task's plan is reused.
   */
  planVersion?: (() => number) | undefined;
  /** The gateway's controls bound to this call's settings (else the deps' `controls`). */
  controls?: CallControls | undefined;
}

export interface RouterDeps {
  providers: () => ProviderConfig[];
  routing: () => Routing;
  /** Each task's load-balancing strategy (absent or a task without one: `ordered`). */
  strategies?: () => RoutingStrategies;
  privacyMode: () => PrivacyMode;
  /** The adapter for a configuration; may load it first (adapters are imported on first use). */
  provider: (config: ProviderConfig) => LlmProvider | Promise<LlmProvider>;
  defaultModel: (config: ProviderConfig) => string | undefined;
  hasKey: (config: ProviderConfig) => boolean;
  recordAttempt: (record: AttemptRecord) => void;
  /**
   * An attempt is about to send a request off this machine (`egress` as it leaves, without what the
   * answer will bring): the audit trail writes it ahead, so a process killed mid-call still leaves
   * its row. Throwing stops the attempt before anything is sent.
   */
  sending?: (attempt: SendingAttempt) => void;
  /**
   * Times to first token recorded since `sinceMs` by any process (the attempts table), oldest first:
   * a process that has measured nothing yet (a one-shot CLI) starts least-latency from them.
   */
  recentLatencies?: (sinceMs: number) => LatencySample[];
  pricing?: (providerId: string, model: string) => Pricing | undefined;
  onStatusChange?: (providerId: string) => void;
  /** Response cache, budgets and shared rate windows (the gateway's); absent: none, rate windows in memory. */
  controls?: CallControls;
}

/** One attempt's time to first token (or, timed out, how long it waited) and when it started. */
export interface LatencySample {
  providerId: string;
  model: string;
  ms: number;
  at: number;
}

/** An answer the response cache kept. */
export interface KeptAnswer {
  text: string;
  inputTokens: number;
  outputTokens: number;
}

/** A slot in a provider's rate window: settled with the tokens the call really used. */
export interface RateSlot {
  settle(tokens: number): void;
}

/** What a budget check answers before a request is sent. */
export type BudgetAdmission =
  /** Over a budget: nothing is sent to this target; `reason` names the budget and what is left. */
  | { refused: string }
  /**
   * Reserved (or no budget counts this call): `release` once the target's tries are over and
   * recorded. `counted`: a budget counts it, so a call without an answer cap is sent with the one
   * its reservation assumed (uncappedAnswerTokens). `again`: the same check and reservation
   * once more, for a retry after a try that may have been billed (admittedTries).
   */
  | { release(costUsd: number | undefined): void; counted?: boolean; again?(): BudgetAdmission };

/**
 * The gateway's controls on each call, kept in SQLite so every process shares them: the response
 * cache, budgets (reserve before, release after) and the providers' rate windows. Absent (router
 * tests), the router has no cache or budgets and keeps rate windows in memory.
 */
export interface CallControls {
  /** The kept answer for this request on this target, or undefined (a miss, the cache off, or bypassed). */
  cached(target: Target, request: RouteRequest): KeptAnswer | undefined;
  /** Keeps an answer that ended normally (never an error, a refusal or a cut-off answer). */
  keep(target: Target, request: RouteRequest, answer: KeptAnswer): void;
  /** Before a target is tried: its projected cost (undefined: no price known) against every budget that counts it. */
  admit(input: { requestId: string; target: Target; config: ProviderConfig; projectId: string | undefined; amountUsd: number | undefined; holdMs: number }): BudgetAdmission;
  /** Waits (abortably) for room in the provider's shared rate window and takes a slot; with `passOver`, says how many ms until one instead of waiting. */
  rateSlot(config: ProviderConfig, tokens: number, signal: () => AbortSignal, passOver?: boolean): RateSlot | Promise<RateSlot> | number;
}

/** An attempt about to send a request off this machine (RouterDeps.sending). */
export interface SendingAttempt extends Target {
  requestId: string;
  attemptNo: number;
  task: TaskKind;
  startedAt: string;
  reason: string;
  egress: Omit<AttemptEgress, 'bytesReceived'>;
}
