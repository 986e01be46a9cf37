import { describe, expect, it } from 'vitest';
import { attemptAttributes, traceIdFor, tracesUrl } from '../../../src-main/observability/spanAttributes.ts';
import type { AttemptRecord } from '../../../src-main/modelCall/modelCallTypes.ts';

const record: AttemptRecord = {
  requestId: 'req-1',
  attemptNo: 2,
  startedAt: '2026-12-03T12:00:00.000Z',
  task: 'code',
  providerId: 'cloud',
  model: 'big-model',
  outcome: 'error',
  errorKind: 'rate-limit',
  status: 429,
  inputTokens: 1200,
  outputTokens: 0,
  latencyMs: 340,
  costUsd: 0.0036,
  reason: 'ordered: the listed order; the prompt said SECRET-REASON',
  message: 'provider said: your prompt "SECRET-MESSAGE" is too long',
  runId: 'run-1',
  projectId: 'project-1',
};

describe('attemptAttributes', () => {
  it('names the call with the GenAI conventions and ours, and carries no text of the call', () => {
    const attributes = attemptAttributes(record, 'openai');
    expect(attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'big-model',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 0,
      'service_creator.task': 'code',
      'service_creator.target': 'cloud/big-model',
      'service_creator.provider_id': 'cloud',
      'service_creator.cost_usd': 0.0036,
      'service_creator.outcome': 'error',
      'service_creator.attempt': 2,
      'service_creator.request_id': 'req-1',
      'service_creator.run_id': 'run-1',
      'service_creator.project_id': 'project-1',
      'service_creator.cache_hit': false,
      'service_creator.latency_ms': 340,
      'error.type': 'rate-limit',
      'http.response.status_code': 429,
    });
    expect(JSON.stringify(attributes)).not.toMatch(/SECRET-(REASON|MESSAGE)/);
  });

  it('leaves out what the record does not know, and names the provider by its id when its type is unknown', () => {
    const attributes = attemptAttributes({ requestId: 'r', attemptNo: 1, startedAt: record.startedAt, task: 'chat', providerId: 'removed', model: 'm', outcome: 'ok', reason: '' }, undefined);
    expect(attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'removed',
      'gen_ai.provider.name': 'removed',
      'gen_ai.request.model': 'm',
      'service_creator.task': 'chat',
      'service_creator.target': 'removed/m',
      'service_creator.provider_id': 'removed',
      'service_creator.outcome': 'ok',
      'service_creator.attempt': 1,
      'service_creator.request_id': 'r',
      'service_creator.cache_hit': false,
    });
  });
});

describe('traceIdFor and tracesUrl', () => {
  it('gives a run one 32-hex trace id, the same every time, apart from a call with the same id', () => {
    expect(traceIdFor('run', 'abc')).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdFor('run', 'abc')).toBe(traceIdFor('run', 'abc'));
    expect(traceIdFor('call', 'abc')).not.toBe(traceIdFor('run', 'abc'));
  });

  it('adds /v1/traces to a base address and keeps a full one', () => {
    expect(tracesUrl('http://localhost:4318')).toBe('http://localhost:4318/v1/traces');
    expect(tracesUrl('https://otel.example.com/collector/')).toBe('https://otel.example.com/collector/v1/traces');
    expect(tracesUrl('http://127.0.0.1:4318/v1/traces')).toBe('http://127.0.0.1:4318/v1/traces');
  });
});
