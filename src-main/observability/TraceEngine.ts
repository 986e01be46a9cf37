import type { Context, Span, SpanKind, Tracer } from '@opentelemetry/api';
import type { IdGenerator, SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { postSpans } from './postSpans.ts';
import { attemptAttributes, attemptSpanName, traceIdFor, tracesUrl, type TraceEvent } from './spanAttributes.ts';

import type * as OtelApi from '@opentelemetry/api';

type Api = typeof OtelApi;

export interface TraceEngineOptions {
  /** The collector's address as the user gave it (its /v1/traces is added when missing). */
  endpoint: string;
  serviceVersion: string;
  /** Which face: app, serve or cli. */
  processKind: string;
  /** An export that failed (the collector is down, refused): said once in the log. */
  onExportError: (error: Error | undefined) => void;
  /**
   * Asked before each batch is sent: whether telemetry is still on. Turned off
   * (in any process: the setting is read from the store), the batch is dropped, never sent.
   */
  stillWanted?: () => boolean;
}

/** Waits at most `ms` for `work`; never rejects. */
export async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * The OpenTelemetry SDK, loaded: imports its packages (only ever called when telemetry is on),
 * a tracer provider of its own (never the global one: two cores in a process, as in tests, each
 * export to their own collector), a batch processor, and an exporter of ours: spans serialised
 * as OTLP/HTTP JSON by OpenTelemetry's own serialiser, sent by postSpans (a deadline on the whole
 * export, no redirect followed, no answer body read, nothing that keeps the process alive once
 * given up on; the SDK's HTTP exporter had an idle timeout only and retry timers that kept a CLI
 * command waiting on a collector that was down or never answered).
 */
export async function loadTraceEngine(options: TraceEngineOptions): Promise<TraceEngine> {
  const [api, sdk, transformer, resources] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/otlp-transformer'),
    import('@opentelemetry/resources'),
  ]);
  const ids = new PresetTraceIds(new sdk.RandomIdGenerator());
  const url = tracesUrl(options.endpoint);
  const stop = new AbortController();
  // Cleared by the flush before the process ends: a collector refused or down is not waited for.
  let retrying = true;
  // Set when telemetry is turned off: what the batch still holds is dropped, never sent.
  let dropping = false;
  // Exports under way: a flush waits for them too (the batch processor's own forceFlush returns at
  // once when another flush already took the spans and is still sending them).
  const sending = new Set<Promise<void>>();
  const exporter: SpanExporter = {
    export: (spans, done) => {
      if (dropping || options.stillWanted?.() === false) {
        done({ code: 0 });
        return;
      }
      const body = transformer.JsonTraceSerializer.serializeRequest(spans);
      if (body === undefined) {
        done({ code: 1, error: new Error('the spans could not be written as OTLP JSON') });
        return;
      }
      const sent = postSpans(url, body, { timeoutMs: exportTimeoutMs, signal: stop.signal, mayRetry: () => retrying, userAgent: `service-creator/${options.serviceVersion}` }).then((outcome) => {
        sending.delete(sent);
        if (!outcome.ok) options.onExportError(outcome.error);
        done(outcome.ok ? { code: 0 } : { code: 1, error: outcome.error });
      });
      sending.add(sent);
    },
    shutdown: async () => stop.abort(),
    forceFlush: async () => undefined,
  };
  const provider = new sdk.TracerProvider({
    idGenerator: ids,
    resource: resources.resourceFromAttributes({ 'service.name': 'service-creator', 'service.version': options.serviceVersion, 'service_creator.process': options.processKind }),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter, scheduledDelayMillis: 2_000, exportTimeoutMillis: exportTimeoutMs })],
  });
  const transport: EngineTransport = {
    sending: () => Promise.all([...sending]),
    lastTries: () => (retrying = false),
    abort: () => stop.abort(),
    drop: () => {
      dropping = true;
      stop.abort();
    },
  };
  return new TraceEngine(api, provider, ids, options.endpoint, transport);
}

/** The exporter's state, as the engine reaches it. */
interface EngineTransport {
  /** Settles when the exports under way have. */
  sending: () => Promise<unknown>;
  /** From now on an export that fails is not tried again (the process is about to end). */
  lastTries: () => void;
  /** Drops the exports under way. */
  abort: () => void;
  /** Drops the exports under way and every later one (telemetry was turned off: nothing more leaves). */
  drop: () => void;
}

/** The longest one export may take, its tries again included. */
const exportTimeoutMs = 10_000;

/** Random ids, except the next root span's trace id when one is preset (a run's, a call's). */
class PresetTraceIds implements IdGenerator {
  next: string | undefined;
  readonly #random: IdGenerator;

  constructor(random: IdGenerator) {
    this.#random = random;
  }

  generateTraceId(): string {
    const preset = this.next;
    this.next = undefined;
    return preset ?? this.#random.generateTraceId();
  }

  generateSpanId(): string {
    return this.#random.generateSpanId();
  }
}

/**
 * Turns what happened into spans. A generation run is one trace (its id derived from the run's):
 * a root span "generation run" per period this process works on it (planning, generating; a
 * resumed run gets another in the same trace), a child span per model-call attempt of the run
 * (built after the fact from its record: start time and latency), and a "sandbox run" span per
 * test run of it. A call outside a run (interview, chat) is its own trace, one span per attempt.
 */
export class TraceEngine {
  readonly endpoint: string;
  readonly #api: Api;
  readonly #provider: TracerProvider;
  readonly #tracer: Tracer;
  readonly #ids: PresetTraceIds;
  readonly #openRuns = new Map<string, Span>();
  readonly #transport: EngineTransport;

  constructor(api: Api, provider: TracerProvider, ids: PresetTraceIds, endpoint: string, transport: EngineTransport) {
    this.#transport = transport;
    this.#api = api;
    this.#provider = provider;
    this.#tracer = provider.getTracer('service-creator');
    this.#ids = ids;
    this.endpoint = endpoint;
  }

  handle(event: TraceEvent): void {
    switch (event.kind) {
      case 'run-start': {
        if (this.#openRuns.has(event.runId)) return;
        const attributes = { 'service_creator.run_id': event.runId, 'service_creator.project_id': event.projectId };
        this.#openRuns.set(event.runId, this.#root('generation run', traceIdFor('run', event.runId), event.at, attributes));
        return;
      }
      case 'run-end': {
        const span = this.#openRuns.get(event.runId);
        if (!span) return;
        this.#openRuns.delete(event.runId);
        span.setAttributes({ 'service_creator.run.status': event.status, 'service_creator.run.calls': event.calls, 'service_creator.cost_usd': event.costUsd });
        if (event.status === 'failed') span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: 'the run failed' });
        span.end(event.at);
        return;
      }
      case 'attempt': {
        const { record } = event;
        const start = Date.parse(record.startedAt);
        const attributes = attemptAttributes(record, event.providerType);
        const parent = record.runId === undefined ? undefined : this.#openRuns.get(record.runId);
        const name = attemptSpanName(record);
        const span = parent
          ? this.#tracer.startSpan(name, { kind: this.#api.SpanKind.CLIENT, startTime: start, attributes }, this.#under(parent))
          : this.#root(name, record.runId === undefined ? traceIdFor('call', record.requestId) : traceIdFor('run', record.runId), start, attributes, this.#api.SpanKind.CLIENT);
        if (record.outcome === 'error') span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: record.errorKind ?? 'error' });
        span.end(start + (record.latencyMs ?? 0));
        return;
      }
      case 'sandbox': {
        const attributes = {
          'service_creator.test_run_id': event.testRunId,
          'service_creator.run_id': event.pipelineRunId,
          'service_creator.project_id': event.projectId,
          'service_creator.sandbox.status': event.status,
          ...(event.outcome === undefined ? {} : { 'service_creator.sandbox.outcome': event.outcome }),
          'service_creator.tests.passed': event.passed,
          'service_creator.tests.failed': event.failed,
          'service_creator.tests.errors': event.errors,
          'service_creator.tests.skipped': event.skipped,
        };
        const parent = this.#openRuns.get(event.pipelineRunId);
        const span = parent
          ? this.#tracer.startSpan('sandbox run', { startTime: event.startedAt, attributes }, this.#under(parent))
          : this.#root('sandbox run', traceIdFor('run', event.pipelineRunId), event.startedAt, attributes);
        if (event.outcome === 'error') span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: 'the sandbox could not run the tests' });
        span.end(event.endedAt);
        return;
      }
      default:
        return event satisfies never;
    }
  }

  /**
   * Sends what is queued, waiting at most `ms`. `last`: the process is about to end, so an export
   * that fails (a collector refused or down) is not tried again: the wait ends with it.
   */
  async flush(ms: number, last = false): Promise<void> {
    if (last) this.#transport.lastTries();
    await bounded(
      this.#provider.forceFlush({ timeoutMillis: ms }).then(() => this.#transport.sending()),
      ms,
    );
  }

  /**
   * Ends runs still open (the process is closing, or the address changed), sends, stops.
   * `discard`: telemetry was turned off, so what is held or being sent is dropped instead: off
   * means nothing more leaves, not "after the next batch".
   */
  async shutdown(ms: number, discard = false): Promise<void> {
    if (discard) this.#transport.drop();
    const now = Date.now();
    for (const [runId, span] of this.#openRuns) {
      span.setAttribute('service_creator.run.status', 'still working when this process stopped tracing');
      span.end(now);
      this.#openRuns.delete(runId);
    }
    this.#transport.lastTries();
    await bounded(this.#provider.shutdown(), ms);
    // What is still being sent after the wait is given up: its connection closed, no try again.
    this.#transport.abort();
  }

  #under(parent: Span): Context {
    return this.#api.trace.setSpan(this.#api.ROOT_CONTEXT, parent);
  }

  #root(name: string, traceId: string, startTime: number, attributes: Record<string, string | number | boolean>, kind?: SpanKind): Span {
    this.#ids.next = traceId;
    try {
      return this.#tracer.startSpan(name, { startTime, attributes, ...(kind === undefined ? {} : { kind }) }, this.#api.ROOT_CONTEXT);
    } finally {
      this.#ids.next = undefined;
    }
  }
}
