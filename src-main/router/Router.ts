import { BrokenCircuitError, CircuitState } from 'cockatiel';
import type { ProviderConfig, TaskKind, Target } from '../../src-shared/domain/provider.ts';
import type { AttemptRecord, BreakerState, FinishReason, RouteRequest, RouteResult, TargetTokens } from '../modelCall/modelCallTypes.ts';
import type { LlmProvider } from '../providers/LlmProvider.ts';
import { ProviderError } from '../providers/ProviderError.ts';
import { AttemptWatchdog } from './AttemptWatchdog.ts';
import { CallDeadline, callDeadlineMs, describeMs } from './callDeadline.ts';
import { PassedOver } from './PassedOver.ts';
import { planTargets, type Candidate } from './planTargets.ts';
import { RateLimiters } from './RateLimiters.ts';
import { estimateTokens } from './estimateTokens.ts';
import { cancelledError } from './cancelledError.ts';
import { targetTokens } from './targetTokens.ts';
import { noAnswerError } from './noAnswerError.ts';
import { answerFromCache } from './answerFromCache.ts';
import { hitOnFirstTarget } from './hitOnFirstTarget.ts';
import { attemptRecorder } from './attemptRecorder.ts';
import { firstContextWindow } from './firstContextWindow.ts';
import { projectedCost, uncappedAnswerTokens } from './projectedCost.ts';
import { isoTime } from './isoTime.ts';
import { requestId as newRequestId } from './requestId.ts';
import { retryOnTarget } from './retryOnTarget.ts';
import { admittedTries } from './admittedTries.ts';
import { redactForTarget } from './redactForTarget.ts';
import { attemptCost } from './attemptCost.ts';
import { tokenCount } from './tokenCount.ts';
import { chatRequestFor } from './chatRequestFor.ts';
import { defaultRouterOptions, type CallConfig, type CallControls, type RateSlot, type RouterDeps, type RouterOptions } from './routerTypes.ts';
import { InFlightCounter } from './balance/InFlightCounter.ts';
import { LatencyTracker } from './balance/LatencyTracker.ts';
import { orderTargets } from './balance/orderTargets.ts';
import { StickyTargets } from './balance/StickyTargets.ts';
import { targetKey } from './balance/targetKey.ts';
import { TargetBreakers } from './TargetBreakers.ts';
import { OrderedPlans } from './OrderedPlans.ts';
import type { AttemptInput } from './AttemptInput.ts';

/**
 * Every model call goes through here (vocabulary: modelCall/modelCallTypes.ts; options and deps:
 * routerTypes.ts). It walks the planned targets in order; on each it waits for the provider's rate
 * limit (a balanced target with another after it passes the call on), tries under a per-target
 * circuit breaker (cockatiel) with the provider's first-token and total timeouts, retries transient
 * failures with backoff (`retryOnTarget`: 429 on a budget of its own; a hung target is not retried)
 * and falls back on anything else but cancellation, within the call's deadline. Every try and skip
 * is recorded with its reason; an attempt failing after it streamed gives the caller a `restart`.
 */
export class Router {
  readonly #deps: RouterDeps;
  readonly #options: RouterOptions;
  readonly #clock: () => number;
  readonly #breakers: TargetBreakers;
  readonly #limiters: RateLimiters;
  readonly #keyRejected = new Set<string>();
  /** Load balancing's measures per target (targetKey): time to first token, calls under way (circuits: #breakers). */
  readonly #latency: LatencyTracker;
  readonly #inFlight = new InFlightCounter();
  readonly #sticky = new StickyTargets();
  readonly #plans = new OrderedPlans();

  constructor(deps: RouterDeps, options: Partial<RouterOptions> = {}) {
    this.#deps = deps;
    this.#options = { ...defaultRouterOptions, ...options };
    this.#clock = options.clock ?? options.now ?? (() => performance.now());
    this.#latency = new LatencyTracker({ now: this.#options.now, ...(deps.recentLatencies ? { seed: deps.recentLatencies } : {}) });
    this.#limiters = new RateLimiters(this.#options.now);
    this.#breakers = new TargetBreakers({
      threshold: this.#options.breakerThreshold,
      halfOpenAfterMs: this.#options.breakerHalfOpenAfterMs,
      onStateChange: (providerId) => this.#deps.onStatusChange?.(providerId),
    });
  }

  /**
   * Routes one call by `callConfig` (read at once by the gateway when the call starts), else by its deps; a cached answer
   * of its first target answers it without the walk being set up (hitOnFirstTarget). A failure is a rejected promise.
   */
  chat(request: RouteRequest, callConfig?: CallConfig): Promise<RouteResult> {
    try {
      const promptTokens = estimateTokens(request.messages);
      const candidates = this.#candidates(request, promptTokens, callConfig);
      const controls = callConfig?.controls ?? this.#deps.controls;
      const deadlineMs = callDeadlineMs(request, candidates, this.#options.deadlineMs);
      const first = controls ? hitOnFirstTarget({ request, candidates, controls, deadlineMs, keyRejected: this.#keyRejected, deps: this.#deps, now: this.#options.now() }) : 'walk';
      if (typeof first === 'object') return Promise.resolve(first);
      return this.#walk(request, callConfig, { candidates, promptTokens, deadlineMs, controls, firstMissed: first === 'missed' });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Walks the planned targets in order (`firstMissed`: the cache was asked for the first one already). */
  async #walk(request: RouteRequest, callConfig: CallConfig | undefined, planned: { candidates: Candidate[]; promptTokens: number; deadlineMs: number; controls: CallControls | undefined; firstMissed: boolean }): Promise<RouteResult> {
    const { candidates, promptTokens, controls } = planned;
    const requestId = newRequestId();
    const attempts: AttemptRecord[] = [];
    const record = attemptRecorder(requestId, request, attempts, this.#deps);
    const neededContext = promptTokens + (request.maxTokens ?? 0);
    let previousFailure: string | undefined;
    const pendingRestart = { reason: undefined as string | undefined };
    const pricing = callConfig ? callConfig.pricing : this.#deps.pricing;
    const deadline = new CallDeadline(planned.deadlineMs, this.#clock);
    // What waits (a rate limit, the pause before a retry) listen to; made only when one waits.
    let waitSignal: AbortSignal | undefined;
    const waitOn = () => (waitSignal ??= request.signal ? AbortSignal.any([request.signal, deadline.signal]) : deadline.signal);
    let retryPastDeadline = false;
    let budgetRefusal: string | undefined;
    try {
      for (const [index, candidate] of candidates.entries()) {
        const { target } = candidate;
        if (deadline.passed()) break;
        const skip = (reason: string) =>
          record({ startedAt: isoTime(this.#options.now()), ...target, outcome: 'skipped', reason, ...(candidate.strategy ? { strategy: candidate.strategy } : {}) });
        if (candidate.skip || !candidate.config) {
          skip(candidate.skip ?? 'not configured');
          continue;
        }
        const config = candidate.config;
        if (this.#keyRejected.has(config.id)) {
          skip(`the key for "${config.id}" was rejected (401/403) earlier; update it in Providers`);
          continue;
        }
        const kept = index === 0 && planned.firstMissed ? undefined : controls?.cached(target, request);
        if (kept) return answerFromCache({ request, requestId, candidate, kept, pendingRestart, attempts, record, now: this.#options.now() });
        let provider: LlmProvider;
        try {
          // The gateway hands a live adapter over as it is (awaiting it would cost a turn per call).
          const adapter = this.#deps.provider(config);
          provider = adapter instanceof Promise ? await adapter : adapter;
        } catch (error) {
          skip(`provider "${config.id}" cannot start: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
        // Judged on its own window and this prompt's count only: another target's overflow says nothing of this one (a wrong window, a template its server adds).
        const contextLength = provider.capabilities(target.model).contextLength;
        if (contextLength < neededContext) {
          skip(`context too small: needs about ${neededContext} tokens, ${target.model} has ${contextLength}`);
          continue;
        }
        // Open: refused at once (BrokenCircuitError, nothing sent). Half-open (after the cool-down): cockatiel lets one probe through and makes other calls wait for it (up to its timeouts), so a later target takes them; only the last waits.
        const breaker = this.#breakers.for(target);
        const later = candidates.filter((other, at) => at > index && !other.skip && other.config);
        if (breaker.state === CircuitState.HalfOpen && later.length > 0) {
          skip('circuit half-open: its one probe is under way, so this call goes to the next target');
          continue;
        }
        const reason = previousFailure ? `${candidate.reason}; fallback after ${previousFailure}` : candidate.reason;
        // Before anything is sent: the most this call can cost, against every budget that counts it.
        const admission = controls?.admit({ requestId, target, config, projectId: request.projectId, amountUsd: projectedCost(config, pricing?.(config.id, target.model), request), holdMs: deadline.remainingMs() + 60_000 });
        if (admission && 'refused' in admission) {
          skip(admission.refused);
          budgetRefusal ??= admission.refused;
          continue;
        }
        const answerCap = admission?.counted && request.maxTokens === undefined ? uncappedAnswerTokens : undefined; // under a budget: what its reservation assumed; a retry is reserved again (admittedTries)
        const tries = admittedTries(admission, attempts);
        try {
          return await retryOnTarget(
            tries.each(() => breaker.execute(() => this.#attempt({ request, candidate: candidate as Candidate & { config: ProviderConfig }, provider, reason, record, pendingRestart, attempts, requestId, deadline, promptTokens, pricing, redaction: callConfig?.redaction, controls, waitOn, answerCap, passOverFullRate: candidate.strategy !== 'ordered' && later.some((other) => other.cloudAfterLocal === candidate.cloudAfterLocal) }))),
            this.#options,
            { stopped: () => deadline.passed() || request.signal?.aborted === true, signal: waitOn, remainingMs: () => deadline.remainingMs(), onRetryPastDeadline: () => (retryPastDeadline = true) },
          );
        } catch (error) {
          if (request.signal?.aborted) throw cancelledError(request.signal);
          if (error instanceof PassedOver) {
            skip(error.reason);
            continue;
          }
          if (deadline.passed()) break;
          if (error instanceof BrokenCircuitError) {
            skip('circuit open after repeated failures; waiting for the cool-down');
            previousFailure ??= `${target.providerId}/${target.model} has its circuit open`;
            continue;
          }
          const failure = error instanceof ProviderError ? error : new ProviderError(config.id, 'server', String(error), { cause: error });
          if (failure.kind === 'cancelled') throw failure;
          if (failure.kind === 'auth') {
            this.#keyRejected.add(config.id);
            this.#deps.onStatusChange?.(config.id);
          }
          previousFailure = `${target.providerId}/${target.model} failed (${failure.kind}${failure.status ? ` ${failure.status}` : ''})`;
        } finally {
          tries.release();
        }
      }
    } finally {
      deadline.dispose();
    }
    throw noAnswerError({ request, attempts, deadline, retryPastDeadline, budgetRefusal });
  }

  /** Circuit state per provider+model that has been used, for the UI. */
  breakerStates(): { providerId: string; model: string; state: BreakerState }[] {
    return this.#breakers.states();
  }

  isKeyRejected(providerId: string): boolean {
    return this.#keyRejected.has(providerId);
  }
  /** A new key was saved: give the provider another chance. */
  clearKeyRejected(providerId: string): void {
    this.#keyRejected.delete(providerId);
  }

  /** The window (learned from its server first, bounded, cached) and token count of the target prompts for this task are sized for. */
  contextWindow(task: TaskKind, signal?: AbortSignal, config?: CallConfig): Promise<{ target: Target; contextLength: number; tokens: TargetTokens } | undefined> {
    return firstContextWindow(this.#candidates({ task, messages: [] }, 0, config), this.#keyRejected, this.#deps.provider, signal);
  }

  /** The targets a task would be tried on now, in order, with the reason for each (no call made; the gateway's `plan`). */
  plan(task: TaskKind): Candidate[] {
    return this.#candidates({ task, messages: [] });
  }

  /** The planned targets (planTargets) in the order the task's balancing strategy gives them (orderTargets); `ordered` plans shared (OrderedPlans). */
  #candidates(request: RouteRequest, promptTokens = estimateTokens(request.messages), config?: CallConfig): Candidate[] {
    return this.#plans.get(request, config, () => this.#plan(request, promptTokens, config));
  }

  #plan(request: RouteRequest, promptTokens: number, config?: CallConfig): Candidate[] {
    const providers = config ? config.providers : this.#deps.providers();
    const plan = planTargets({
      task: request.task,
      routing: request.only ? { [request.task]: [request.only] } : config ? config.routing : this.#deps.routing(),
      providers,
      privacyMode: config ? config.privacyMode : this.#deps.privacyMode(),
      privacyScope: config?.privacyScope,
      defaultModel: this.#deps.defaultModel,
      hasKey: this.#deps.hasKey,
    });
    const strategies = config ? config.strategies : this.#deps.strategies?.();
    const pricing = config ? config.pricing : this.#deps.pricing;
    return orderTargets({
      strategy: request.only ? 'ordered' : (strategies?.[request.task] ?? 'ordered'),
      candidates: plan,
      health: (key) => this.#breakers.health(key),
      latencyMs: (key) => this.#latency.estimate(key),
      inFlight: (key) => this.#inFlight.count(key),
      costUsd: (candidate) => {
        if (candidate.config?.location === 'local') return 0;
        const price = pricing?.(candidate.target.providerId, candidate.target.model);
        // Output unknown before the call: the cap when given, else about as long as the prompt.
        return price ? (promptTokens * price.inputPerMillion + (request.maxTokens ?? promptTokens) * price.outputPerMillion) / 1_000_000 : undefined;
      },
      random: this.#options.random,
      stickyTo: request.stickyKey === undefined ? undefined : this.#sticky.get(request.stickyKey),
    });
  }

  async #attempt(input: AttemptInput): Promise<RouteResult> {
    const { request, candidate, provider, record, pendingRestart, deadline, promptTokens } = input;
    const { target, config } = candidate;
    const options = this.#options;
    const outer = request.signal;
    const estimated = promptTokens + (request.maxTokens ?? 0);
    let slot: RateSlot | undefined;
    if (input.controls) {
      const taken = input.controls.rateSlot(config, estimated, input.waitOn, input.passOverFullRate);
      if (typeof taken === 'number') throw new PassedOver(`rate limit reached: its next slot is in ${describeMs(taken)}, so ${candidate.strategy} sends the call to the next target`);
      slot = taken instanceof Promise ? await taken : taken;
    } else {
      const limiter = this.#limiters.for(config);
      if (!limiter.tryAcquire(estimated)) await limiter.acquire(estimated, input.waitOn());
    }
    const key = targetKey(target);
    const strategy = candidate.strategy ? { strategy: candidate.strategy } : {};
    if (pendingRestart.reason) {
      request.onEvent?.({ type: 'restart', reason: pendingRestart.reason });
      pendingRestart.reason = undefined;
    }
    request.onEvent?.({ type: 'attempt', target, attemptNo: input.attempts.length + 1 });
    const controller = new AbortController();
    let timedOut: string | undefined;
    const onOuterAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    // The provider's own timeouts win over the router's defaults; the call's deadline bounds both.
    const watchdog = new AttemptWatchdog(
      { firstTokenMs: config.firstTokenTimeoutMs ?? options.firstTokenTimeoutMs, totalMs: config.totalTimeoutMs ?? options.totalTimeoutMs, deadline },
      (reason) => {
        timedOut = reason;
        controller.abort();
      },
    );
    const startedAt = isoTime(options.now());
    const startedTick = this.#clock();
    const elapsed = () => Math.round(this.#clock() - startedTick);
    let text = '';
    /** What the server sent, in UTF-8 bytes (the audit's "received"): before the guard's placeholders are restored. */
    let bytesReceived = 0;
    let firstTokenMs: number | undefined;
    let inputTokens: number | undefined;
    let outputTokens: number | undefined;
    let finishReason: FinishReason = 'stop';
    // Ends in the finally below, however the attempt ends (answer, failure, cancel).
    const { messages, schema, restorer, egress: leaving } = redactForTarget(request.messages, config, input.redaction, request.schema);
    let egress: typeof leaving;
    const endInFlight = this.#inFlight.start(key);
    try {
      // Answer text within the caller's cap (maxChars); true when some did not fit (reading stops).
      const take = (incoming: string): boolean => {
        const piece = request.maxChars === undefined ? incoming : incoming.slice(0, Math.max(0, request.maxChars - text.length));
        text += piece;
        if (piece.length > 0) request.onEvent?.({ type: 'text', text: piece });
        return piece.length < incoming.length;
      };
      // Off this machine: written ahead (the audit's pending row) before anything is sent; only then is what leaves reported.
      if (leaving) this.#deps.sending?.({ requestId: input.requestId, attemptNo: input.attempts.length + 1, task: request.task, startedAt, ...target, reason: input.reason, egress: leaving });
      egress = leaving;
      for await (const chunk of provider.chat(chatRequestFor(request, target.model, messages, input.answerCap, schema), controller.signal)) {
        if (controller.signal.aborted) break;
        switch (chunk.type) {
          case 'text':
            if (chunk.text.length === 0) break;
            if (firstTokenMs === undefined) {
              firstTokenMs = elapsed();
              watchdog.firstToken();
            }
            if (egress) bytesReceived += Buffer.byteLength(chunk.text, 'utf8');
            if (take(restorer ? restorer.push(chunk.text) : chunk.text)) finishReason = 'too-long';
            break;
          case 'usage':
            inputTokens = tokenCount(chunk.inputTokens);
            outputTokens = tokenCount(chunk.outputTokens);
            break;
          case 'finish':
            finishReason = chunk.reason;
            break;
          default:
            chunk satisfies never;
        }
        if (finishReason === 'too-long') break; // leaving the loop closes the provider's stream
      }
      if (restorer && finishReason !== 'too-long' && take(restorer.end())) finishReason = 'too-long';
      if (timedOut) throw new ProviderError(config.id, 'timeout', timedOut);
      if (outer?.aborted || finishReason === 'cancelled') throw new ProviderError(config.id, 'cancelled', 'cancelled by the caller');
      // A model on this machine costs nothing, whatever a price table says of its name.
      const costUsd = config.location === 'local' ? 0 : attemptCost(input.pricing?.(config.id, target.model), inputTokens, outputTokens);
      record({
        startedAt,
        ...target,
        outcome: 'ok',
        inputTokens,
        outputTokens,
        latencyMs: elapsed(),
        firstTokenMs,
        costUsd,
        reason: input.reason,
        ...strategy,
        ...(finishReason === 'too-long' ? { message: `stopped reading at ${request.maxChars} characters, the most this answer may have` } : {}),
        ...(egress && { egress: { ...egress, bytesReceived } }),
      });
      if (firstTokenMs !== undefined) this.#latency.record(key, firstTokenMs);
      if (request.stickyKey !== undefined) this.#sticky.set(request.stickyKey, key);
      // Only a whole answer is kept: not one cut off (length, too-long), refused or filtered (error).
      if (finishReason === 'stop') input.controls?.keep(target, request, { text, inputTokens: inputTokens ?? promptTokens, outputTokens: outputTokens ?? Math.ceil(text.length / 4) });
      return {
        requestId: input.requestId,
        text,
        target,
        finishReason,
        inputTokens: inputTokens ?? promptTokens,
        outputTokens: outputTokens ?? Math.ceil(text.length / 4),
        attempts: input.attempts,
        tokens: targetTokens(provider, target.model),
      };
    } catch (error) {
      const failure = timedOut
        ? new ProviderError(config.id, 'timeout', timedOut, { cause: error })
        : outer?.aborted
          ? new ProviderError(config.id, 'cancelled', 'cancelled by the caller', { cause: error })
          : error instanceof ProviderError
            ? error
            : new ProviderError(config.id, 'server', error instanceof Error ? error.message : String(error), { cause: error });
      record({
        startedAt,
        ...target,
        outcome: failure.kind === 'cancelled' ? 'cancelled' : 'error',
        errorKind: failure.kind,
        status: failure.status,
        latencyMs: elapsed(),
        firstTokenMs,
        reason: input.reason,
        ...strategy,
        message: failure.message.slice(0, 500),
        ...(egress && { egress: { ...egress, bytesReceived } }),
      });
      // A slow or hung target's wait counts against it; one refusing before its first token in a way its circuit does not
      // count (404, 400, unavailable) as waited out, else it stays first under least-latency, never measured.
      if (firstTokenMs !== undefined) this.#latency.record(key, firstTokenMs);
      else if (failure.kind === 'timeout') this.#latency.record(key, elapsed());
      else if (failure.kind === 'not-found' || failure.kind === 'bad-request' || failure.kind === 'unavailable') this.#latency.record(key, config.firstTokenTimeoutMs ?? options.firstTokenTimeoutMs);
      if (text.length > 0) pendingRestart.reason = `${target.providerId}/${target.model} failed after streaming (${failure.kind})`;
      throw failure;
    } finally {
      slot?.settle((inputTokens ?? estimated) + (outputTokens ?? Math.ceil(text.length / 4))); // cut off: what streamed counts
      endInFlight();
      watchdog.stop();
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }
}
