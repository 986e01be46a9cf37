import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { ProviderHealth } from '../../src-shared/domain/providerHealth.ts';
import { healthWindowMs } from '../../src-shared/domain/providerHealth.ts';
import { isLoopbackUrl } from '../../src-shared/domain/loopbackUrl.ts';
import type { Telemetry as TelemetrySettings } from '../../src-shared/domain/settings.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { AttemptContext, AttemptRecord } from '../modelCall/modelCallTypes.ts';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';
import { AttemptHealthRepository } from '../store/AttemptHealthRepository.ts';
import type { PipelineRepository } from '../store/PipelineRepository.ts';
import { ProjectRepository } from '../store/ProjectRepository.ts';
import { ProviderRepository } from '../store/ProviderRepository.ts';
import type { SandboxRepository } from '../store/SandboxRepository.ts';
import { AppLog, type ProcessKind } from './AppLog.ts';
import { computeProviderHealth, type BreakerSnapshot } from './computeProviderHealth.ts';
import { Telemetry } from './Telemetry.ts';
import type { TraceEngine, TraceEngineOptions } from './TraceEngine.ts';
import { watchRuns } from './watchRuns.ts';

export interface ObservabilityDeps {
  dataDir: string;
  host: 'electron' | 'bridge' | 'cli';
  db: Database;
  bus: EventBus;
  runs: PipelineRepository;
  sandbox: SandboxRepository;
  telemetry: () => TelemetrySettings;
  /** The router's live breakers (the gateway's `breakerStates`). */
  breakerStates: () => BreakerSnapshot[];
  /** Writes attempts still queued (the gateway's AttemptRepository batches them) before health reads. */
  flushAttempts?: () => void;
  serviceVersion: string;
  now?: () => Date;
  /** Tests: another trace-engine loader. */
  loadTraceEngine?: (options: TraceEngineOptions) => Promise<TraceEngine>;
}

export interface Observability {
  log: AppLog;
  telemetry: Telemetry;
  /** Every model-call attempt (the gateway's onAttempt). `call`: what the gateway knew of the call (its configuration's generation, the provider's type), so no look at the store is needed. */
  attempt(record: AttemptRecord, call?: AttemptContext): void;
  /** A channel's handler failed unexpectedly. */
  internalError(channel: string, error: unknown): void;
  providerHealth(): ProviderHealth;
  /** Writes pending log lines and sends pending spans, waiting at most `ms` (process exit: an export that fails is not tried again). */
  flush(ms?: number): Promise<void>;
  /** Stops watching; open runs end and pending spans go out in the background (bounded). */
  close(): void;
}

const processKinds: Record<ObservabilityDeps['host'], ProcessKind> = { electron: 'app', bridge: 'serve', cli: 'cli' };

interface RunTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/**
 * Logs, provider health and opt-in traces for one core: model calls come from the gateway's
 * attempt records, generation and sandbox runs from the events their services send (watchRuns).
 * Log lines never hold a prompt, an answer or code, only names, ids, counts and outcomes.
 */
export function createObservability(deps: ObservabilityDeps): Observability {
  const now = deps.now ?? (() => new Date());
  const processKind = processKinds[deps.host];
  const log = new AppLog({ dir: join(deps.dataDir, 'logs'), kind: processKind });
  const providers = new ProviderRepository(deps.db);
  const providerOf = (id: string) => providers.list().providers.find((provider) => provider.id === id);
  const telemetry = new Telemetry({
    settings: deps.telemetry,
    serviceVersion: deps.serviceVersion,
    processKind,
    log,
    ...(deps.loadTraceEngine ? { load: deps.loadTraceEngine } : {}),
  });
  const projects = new ProjectRepository(deps.db);
  /**
   * A project kept on this machine (projects.local_only) sends nothing about itself to a collector
   * elsewhere, as Local-only mode holds such a collector back; one on this machine gets it.
   */
  const heldBack = (projectId: string | undefined): boolean => projectId !== undefined && projects.localOnlyIds().has(projectId) && !isLoopbackUrl(deps.telemetry().endpoint);
  const health = new AttemptHealthRepository(deps.db);
  const totals = new Map<string, RunTotals>();
  let closed = false;

  // Turned off here or in another process (the watch announces it): nothing more leaves.
  const stopFollowingSettings = deps.bus.subscribe((event) => {
    if (event === 'settings.changed') telemetry.settingsChanged();
  });
  const stopWatching = watchRuns({
    bus: deps.bus,
    runs: deps.runs,
    sandbox: deps.sandbox,
    now: () => now().getTime(),
    onRunStart: (run) => {
      totals.set(run.runId, { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
      log.info('generation run started', { runId: run.runId, projectId: run.projectId, status: run.status });
      if (!heldBack(run.projectId)) telemetry.record({ kind: 'run-start', runId: run.runId, projectId: run.projectId, at: run.at });
    },
    onRunEnd: (run) => {
      const sums = totals.get(run.runId) ?? { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
      totals.delete(run.runId);
      const fields = { runId: run.runId, projectId: run.projectId, status: run.status, durationMs: run.at - run.startedAt, ...sums };
      // Scrubbed before it is cut: a key cut in two keeps too little of itself to be found.
      if (run.status === 'failed') log.error('generation run ended', { ...fields, error: run.error === undefined ? undefined : scrubSecrets(run.error).slice(0, 300) });
      else log.info('generation run ended', fields);
      if (heldBack(run.projectId)) return;
      telemetry.record({ kind: 'run-end', runId: run.runId, status: run.status, at: run.at, calls: sums.calls, costUsd: sums.costUsd });
      void telemetry.flush();
    },
    onSandboxStart: (testRun) => log.info('sandbox run started', { testRunId: testRun.id, runId: testRun.pipelineRunId, projectId: testRun.projectId, image: testRun.image }),
    onSandboxEnd: ({ testRun, startedAt, at }) => {
      const summary = testRun.result?.summary ?? { passed: 0, failed: 0, errors: 0, skipped: 0 };
      const outcome = testRun.result?.outcome;
      const fields = { testRunId: testRun.id, runId: testRun.pipelineRunId, projectId: testRun.projectId, status: testRun.status, outcome, durationMs: at - startedAt, ...summary };
      if (outcome === 'error') log.error('sandbox run ended', fields);
      else log.info('sandbox run ended', fields);
      if (heldBack(testRun.projectId)) return;
      telemetry.record({ kind: 'sandbox', testRunId: testRun.id, pipelineRunId: testRun.pipelineRunId, projectId: testRun.projectId, startedAt, endedAt: at, status: testRun.status, outcome, ...summary });
      void telemetry.flush();
    },
  });

  return {
    log,
    telemetry,
    attempt(record, call) {
      if (closed || record.outcome === 'skipped') return; // a skip is not a call: health counts skips from the table
      const sums = record.runId === undefined ? undefined : totals.get(record.runId);
      if (sums) {
        sums.calls += 1;
        sums.inputTokens += record.inputTokens ?? 0;
        sums.outputTokens += record.outputTokens ?? 0;
        sums.costUsd += record.costUsd ?? 0;
      }
      // Made when the line is written (the record is not changed after it is recorded): the call pays for noting it only.
      const fields = () => ({
        requestId: record.requestId,
        attempt: record.attemptNo,
        task: record.task,
        provider: record.providerId,
        model: record.model,
        outcome: record.outcome,
        inputTokens: record.inputTokens,
        outputTokens: record.outputTokens,
        costUsd: record.costUsd,
        latencyMs: record.latencyMs,
        firstTokenMs: record.firstTokenMs,
        cacheHit: record.cacheHit,
        errorKind: record.errorKind,
        status: record.status,
        runId: record.runId,
        promptVersion: record.promptVersion,
        projectId: record.projectId,
      });
      if (record.outcome === 'error') log.warn('model call failed', fields);
      else log.info('model call', fields);
      try {
        if (!heldBack(record.projectId)) telemetry.record({ kind: 'attempt', record, providerType: call?.providerType ?? providerOf(record.providerId)?.type }, call?.generation);
      } catch (error) {
        // Never the call's failure: the database closed under a call still finishing costs its span only.
        log.warn('no span for a model call', { requestId: record.requestId, error: error instanceof Error ? error.message : String(error) });
      }
    },
    internalError(channel, error) {
      log.error('internal error', { channel }, error);
    },
    providerHealth() {
      deps.flushAttempts?.();
      const at = now();
      const rows = health.since(new Date(at.getTime() - healthWindowMs.day).toISOString());
      return computeProviderHealth({ rows, breakers: deps.breakerStates(), labelOf: (id) => providerOf(id)?.label, now: at });
    },
    async flush(ms = 3_000) {
      await Promise.all([log.flush(), telemetry.flush(ms, true)]);
    },
    close() {
      closed = true;
      stopWatching();
      stopFollowingSettings();
      void telemetry.close().finally(() => log.close());
    },
  };
}
