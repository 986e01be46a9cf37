import { createHash } from 'node:crypto';
import type { AttemptRecord } from '../modelCall/modelCallTypes.ts';

export type SpanAttributes = Record<string, string | number | boolean>;

/** What happened, queued until the SDK is loaded and then turned into spans (TraceEngine). */
export type TraceEvent =
  | { kind: 'run-start'; runId: string; projectId: string; at: number }
  | { kind: 'run-end'; runId: string; status: string; at: number; calls: number; costUsd: number }
  | { kind: 'attempt'; record: AttemptRecord; providerType: string | undefined }
  | {
      kind: 'sandbox';
      testRunId: string;
      pipelineRunId: string;
      projectId: string;
      startedAt: number;
      endedAt: number;
      status: string;
      outcome: string | undefined;
      passed: number;
      failed: number;
      errors: number;
      skipped: number;
    };

/**
 * A model-call attempt as span attributes: the OpenTelemetry GenAI semantic conventions
 * (gen_ai.*) plus ours (service_creator.*). Only counts, names and ids: never the prompt, the
 * answer, the provider's error text or the router's reason.
 */
export function attemptAttributes(record: AttemptRecord, providerType: string | undefined): SpanAttributes {
  const system = providerType ?? record.providerId;
  return defined({
    'gen_ai.operation.name': 'chat',
    'gen_ai.system': system,
    'gen_ai.provider.name': system,
    'gen_ai.request.model': record.model,
    'gen_ai.usage.input_tokens': record.inputTokens,
    'gen_ai.usage.output_tokens': record.outputTokens,
    'service_creator.task': record.task,
    'service_creator.target': `${record.providerId}/${record.model}`,
    'service_creator.provider_id': record.providerId,
    'service_creator.cost_usd': record.costUsd,
    'service_creator.outcome': record.outcome,
    'service_creator.attempt': record.attemptNo,
    'service_creator.request_id': record.requestId,
    'service_creator.run_id': record.runId,
    'service_creator.project_id': record.projectId,
    'service_creator.cache_hit': record.cacheHit ?? false,
    'service_creator.latency_ms': record.latencyMs,
    'service_creator.first_token_ms': record.firstTokenMs,
    'error.type': record.outcome === 'error' ? (record.errorKind ?? 'error') : undefined,
    'http.response.status_code': record.status,
  });
}

/** A span's name per the GenAI conventions: "{operation} {model}". */
export function attemptSpanName(record: AttemptRecord): string {
  return `chat ${record.model}`;
}

/**
 * The trace id of everything about one generation run (its working periods, calls, sandbox
 * runs), or of one call outside a run: derived from the id, so it is the same in every process
 * and after a pause. 32 hex digits, as OpenTelemetry's trace ids are.
 */
export function traceIdFor(kind: 'run' | 'call', id: string): string {
  return createHash('sha256').update(`${kind}:${id}`).digest('hex').slice(0, 32);
}

/** `http://host:4318` → `http://host:4318/v1/traces`; an address already ending so is kept. */
export function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (!/\/v1\/traces\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

function defined(values: Record<string, string | number | boolean | undefined>): SpanAttributes {
  const out: SpanAttributes = {};
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = value;
  return out;
}
