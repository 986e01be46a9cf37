import { AppError } from '../../src-shared/AppError.ts';
import type { SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import {
  defaultSandboxImages,
  defaultSandboxLimits,
  type EngineStatus,
  type SandboxLanguage,
  type SandboxLimits,
  type SandboxResult,
  type TestRunView,
} from '../../src-shared/sandbox/sandboxTypes.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { PipelineRepository } from '../store/PipelineRepository.ts';
import { isClosedDatabase } from '../store/isClosedDatabase.ts';
import type { SandboxRepository } from '../store/SandboxRepository.ts';
import type { SandboxRunRequest } from './runInSandbox.ts';

/** The sandbox: `runInSandbox` over a Docker engine in the app (createDockerRunner), a double where a test needs one. */
export interface SandboxRunner {
  status(): Promise<EngineStatus>;
  run(request: SandboxRunRequest): Promise<SandboxResult>;
}

export interface TestRunOptions {
  image?: string;
  timeoutMs?: number;
  /** Run the plan's install step with network (off by default: the sandbox has no network). */
  allowNetworkInstall?: boolean;
  repairId?: string;
}

export interface TestRunServiceDeps {
  runs: PipelineRepository;
  sandbox: SandboxRepository;
  runner: SandboxRunner;
  bus: EventBus;
  /** Configured image per language (settings); defaults when absent. */
  images?: () => Partial<Record<SandboxLanguage, string>>;
  limits?: Partial<SandboxLimits>;
  /** This core's owner token, and whether another owner still works (processOwner.ts). */
  owner?: string;
  ownerAlive?: (owner: string | null) => boolean;
}

/** The sandbox language for a spec's target language. */
export function sandboxLanguageOf(spec: SpecDraft): SandboxLanguage {
  const language = spec.target?.language;
  return language === 'typescript' ? 'node' : 'python';
}

/**
 * Runs a finished generation run's own tests (the plan's test command) in the sandbox: the
 * current content of every file, no network, the configured limits. Each run is stored with its
 * result and capped log; the log streams as `sandbox.event` while it runs.
 */
export class TestRunService {
  readonly #deps: TestRunServiceDeps;
  readonly #active = new Map<string, { controller: AbortController; done: Promise<TestRunView>; log: string[] }>();

  constructor(deps: TestRunServiceDeps) {
    this.#deps = deps;
  }

  /** Test runs left `running` by a crash are marked interrupted. */
  recoverInterrupted(): void {
    this.#deps.sandbox.markInterrupted((owner) => owner === this.#deps.owner || (this.#deps.ownerAlive?.(owner) ?? false));
  }

  engineStatus(): Promise<EngineStatus> {
    return this.#deps.runner.status();
  }

  /** A stored test run; while it runs here, with the log so far (the store has it only at the end). */
  get(testRunId: string): TestRunView {
    const view = this.#deps.sandbox.testRun(testRunId);
    const active = this.#active.get(testRunId);
    return active && view.status === 'running' ? { ...view, log: active.log.join('') } : view;
  }

  list(pipelineRunId: string): TestRunView[] {
    this.#deps.runs.run(pipelineRunId);
    return this.#deps.sandbox.testRuns(pipelineRunId);
  }

  /**
   * Starts a test run in the background; `wait` resolves with its result. Refused, with nothing
   * stored, when the run is not finished or no engine answers.
   */
  async start(pipelineRunId: string, options: TestRunOptions = {}): Promise<TestRunView> {
    const run = this.#deps.runs.run(pipelineRunId);
    if (run.status !== 'done' || !run.plan) throw new AppError('CONFLICT', `Only a finished generation run can be tested; this one is ${run.status}`);
    const engine = await this.#deps.runner.status();
    if (!engine.ok) throw new AppError('SANDBOX_UNAVAILABLE', engine.message);
    const plan = run.plan;
    const files = this.#deps.runs.files(pipelineRunId).map((file) => ({ path: file.path, content: file.content ?? '' }));
    const language = sandboxLanguageOf(run.spec);
    const image = options.image ?? this.#deps.images?.()[language] ?? defaultSandboxImages[language];
    const limits: SandboxLimits = { ...defaultSandboxLimits, ...this.#deps.limits, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) };
    const testRun = this.#deps.sandbox.createTestRun({
      projectId: run.projectId,
      pipelineRunId,
      image,
      ...(options.repairId ? { repairId: options.repairId } : {}),
      ...(this.#deps.owner ? { owner: this.#deps.owner } : {}),
    });
    const controller = new AbortController();
    const log: string[] = [];
    const emit = (event: Parameters<EventBus['emit']>[1]) => this.#deps.bus.emit('sandbox.event', event as never);
    const done = this.#deps.runner
      .run({
        files,
        image,
        language,
        ...(plan.install ? { install: plan.install } : {}),
        allowNetwork: options.allowNetworkInstall ?? false,
        test: plan.test,
        limits,
        labels: { 'service-creator.test-run': testRun.id },
        signal: controller.signal,
        // The runner caps what it passes here at limits.logBytes.
        onLog: (stream, text) => {
          log.push(text);
          emit({ testRunId: testRun.id, kind: 'log', stream, text });
        },
      })
      .then(
        (result) => this.#finish(testRun.id, controller.signal.aborted ? 'cancelled' : 'finished', result),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          const failed: SandboxResult = {
            outcome: 'error',
            exitCode: null,
            cases: [],
            summary: { passed: 0, failed: 0, errors: 0, skipped: 0 },
            log: '',
            logTruncated: false,
            durationMs: 0,
            image,
            installed: false,
            message,
          };
          this.#finish(testRun.id, controller.signal.aborted ? 'cancelled' : 'finished', failed);
        },
      )
      .then(() => this.get(testRun.id))
      .catch((error: unknown) => {
        if (isClosedDatabase(error)) return testRun;
        throw error;
      })
      .finally(() => {
        this.#active.delete(testRun.id);
        emit({ testRunId: testRun.id, kind: 'changed' });
      });
    this.#active.set(testRun.id, { controller, done, log });
    emit({ testRunId: testRun.id, kind: 'changed' });
    return testRun;
  }

  #finish(testRunId: string, status: 'finished' | 'cancelled', result: SandboxResult): void {
    try {
      this.#deps.sandbox.finishTestRun(testRunId, status, result);
    } catch (error) {
      // The database closed with the app; the next start marks the run interrupted.
      if (!isClosedDatabase(error)) throw error;
    }
  }

  async wait(testRunId: string): Promise<TestRunView> {
    const active = this.#active.get(testRunId);
    return active ? active.done : this.get(testRunId);
  }

  /** Runs the tests and waits for the result. */
  async run(pipelineRunId: string, options: TestRunOptions = {}): Promise<TestRunView> {
    return this.wait((await this.start(pipelineRunId, options)).id);
  }

  cancel(testRunId: string): TestRunView {
    const active = this.#active.get(testRunId);
    if (!active) throw new AppError('CONFLICT', 'This test run is not running');
    active.controller.abort(new AppError('CANCELLED', 'The test run was cancelled'));
    return this.get(testRunId);
  }

  cancelAll(): void {
    for (const active of this.#active.values()) active.controller.abort(new AppError('CANCELLED', 'The app is closing'));
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.#active.values()].map((active) => active.done));
  }
}
