import { AppError } from '../../src-shared/AppError.ts';
import { serviceSpecSchema, type SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import { checkPlan } from '../../src-shared/pipeline/checkPlan.ts';
import { planSchema, type Plan, type PlanFile } from '../../src-shared/pipeline/plan.ts';
import type { FileVersionView, RunView } from '../../src-shared/pipeline/pipelineTypes.ts';
import { clampConcurrency } from './clampConcurrency.ts';
import { asAppError } from './asAppError.ts';
import type { StoredRun } from '../store/PipelineRepository.ts';
import { DagScheduler } from './DagScheduler.ts';
import { exportStoredRun, type ExportOptions, type ExportSummary } from './exportStoredRun.ts';
import { generateFile } from './generateFile.ts';
import { defaultPipelineLimits, type PipelineContext, type SourceFile } from './PipelineContext.ts';
import { planProject } from './planProject.ts';
import { runConsistency } from './runConsistency.ts';
import { checkLayer } from './typecheck/checkLayer.ts';
import { languagesOf } from './typecheck/projectChecker.ts';
import { toRunView } from './toRunView.ts';
import { documentPaths, writeDocs } from './writeDocs.ts';
import type { PipelineServiceDeps } from './PipelineServiceDeps.ts';

/** A run being worked on in this process. */
interface Active {
  controller: AbortController;
  scheduler?: DagScheduler;
  /** What an abort means: the user paused (resume continues) or cancelled. */
  stopReason?: 'paused' | 'cancelled' | 'closing';
  done: Promise<void>;
}

/**
 * Generation runs of a project: the plan (asked of the model, then reviewed and edited by the
 * user), the files in dependency order with bounded concurrency, the cross-file checks, the docs,
 * and the export. Every step is stored as it happens, so a run stopped in any way (pause, cancel,
 * a killed process) continues later without asking the model again for a finished file.
 */
export class PipelineService {
  readonly #deps: PipelineServiceDeps;
  readonly #context: PipelineContext;
  readonly #active = new Map<string, Active>();
  readonly #planning = new Map<string, AbortController>();

  constructor(deps: PipelineServiceDeps) {
    this.#deps = deps;
    this.#context = {
      runs: deps.runs,
      chat: deps.chat,
      contextWindow: deps.contextWindow,
      ...(deps.promptBudget ? { promptBudget: deps.promptBudget } : {}),
      promptsDir: deps.promptsDir,
      validators: deps.validators,
      emit: (event) => deps.bus.emit('pipeline.event', event),
      limits: { ...defaultPipelineLimits, ...deps.limits },
    };
  }

  /**
   * Runs a crash or a closed app left working are marked as such: generating ones become paused
   * (resume continues them), planning ones failed (plan again). Called once at start.
   */
  recoverInterrupted(): void {
    for (const run of this.#deps.runs.interruptedRuns()) {
      if (this.#active.has(run.id) || this.#planning.has(run.id)) continue;
      // Another process (the app, serve, a CLI) may be working on it right now.
      if (this.#deps.ownerAlive?.(run.owner)) continue;
      if (run.status === 'planning') this.#deps.runs.updateRun(run.id, { status: 'failed', error: 'The app closed while the plan was being made: plan again' });
      else this.#deps.runs.updateRun(run.id, { status: 'paused', error: 'The app closed during this run: resume to continue where it stopped' });
    }
  }

  get(runId: string): RunView {
    return toRunView(this.#deps.runs, this.#deps.runs.run(runId));
  }

  list(projectId: string): RunView[] {
    this.#deps.projectExists(projectId);
    return this.#deps.runs.runs(projectId).map((run) => toRunView(this.#deps.runs, run));
  }

  versions(runId: string, path: string): FileVersionView[] {
    this.#deps.runs.run(runId);
    return this.#deps.runs.versions(runId, path);
  }

  /**
   * A new run from the project's spec (or the given one): the spec must be complete; the model's
   * plan is checked (paths, cycles, tests, size) before it is stored. The run waits for `start`.
   */
  async plan(projectId: string, options: { spec?: SpecDraft; concurrency?: number; fresh?: boolean } = {}): Promise<RunView> {
    this.#deps.projectExists(projectId);
    const draft = options.spec ?? this.#deps.specOf(projectId);
    const parsed = serviceSpecSchema.safeParse(draft);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 6).map((issue) => `${issue.path.join('.') || '(spec)'}: ${issue.message}`);
      throw new AppError('INVALID_INPUT', `The spec is not complete yet, so there is nothing to plan: ${problems.join('; ')}`);
    }
    const run = this.#deps.runs.createRun(projectId, parsed.data, clampConcurrency(options.concurrency), this.#deps.owner, options.fresh === true);
    // pyright or the TypeScript thread start while the model plans, not when the first check needs them.
    this.#context.validators.prepareProjectCheck?.(run.id, [parsed.data.target.language]);
    const controller = new AbortController();
    this.#planning.set(run.id, controller);
    this.#changed(run.id);
    try {
      const contextWindow = await this.#deps.contextWindow('plan', projectId);
      // A fresh run asks the model for its plan too, not only for its files.
      const bypass = options.fresh === true ? { cache: 'bypass' as const } : {};
      const { plan, promptVersion } = await planProject((request) => this.#deps.chat({ ...request, projectId, runId: run.id, ...bypass }), {
        spec: parsed.data,
        promptsDir: this.#deps.promptsDir,
        signal: controller.signal,
        ...(contextWindow === undefined ? {} : { contextWindow }),
      });
      this.#deps.runs.setPlan(run.id, plan, promptVersion);
      // The run's checker workspace is laid out while the plan waits to be started.
      const plannedPaths = plan.files.map((file) => file.path);
      this.#context.validators.prepareProjectCheck?.(run.id, languagesOf(plannedPaths), plannedPaths);
    } catch (error) {
      const appError = controller.signal.aborted ? new AppError('CANCELLED', 'Planning was cancelled') : asAppError(error);
      this.#deps.runs.updateRun(run.id, { status: controller.signal.aborted ? 'cancelled' : 'failed', error: appError.message });
      throw appError;
    } finally {
      this.#planning.delete(run.id);
      this.#changed(run.id);
    }
    return this.get(run.id);
  }

  /**
   * Replaces the plan with the user's edit (add, remove, rename, change purpose). Refused while
   * the run works; files whose entry did not change keep what was generated for them.
   */
  updatePlan(runId: string, input: Plan): RunView {
    const run = this.#deps.runs.run(runId);
    if (this.#isWorking(run)) throw new AppError('CONFLICT', 'The plan cannot change while the run is working: pause or cancel it first');
    const parsed = planSchema.safeParse(input);
    if (!parsed.success) throw new AppError('INVALID_INPUT', `The plan is not valid: ${parsed.error.issues.slice(0, 6).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    const checked = checkPlan(parsed.data);
    if (!checked.ok) throw new AppError('INVALID_INPUT', `The plan cannot be used: ${checked.problems.map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message)).join('; ')}`);
    this.#deps.runs.setPlan(runId, checked.plan);
    this.#changed(runId);
    return this.get(runId);
  }

  /** Starts (or continues) generating in the background; `wait` resolves when it stops. */
  start(runId: string, options: { concurrency?: number } = {}): RunView {
    const run = this.#deps.runs.run(runId);
    const active = this.#active.get(runId);
    if (active) {
      if (active.scheduler?.paused && active.stopReason === undefined) this.#resumeActive(runId, active);
      return this.get(runId);
    }
    if ((run.status === 'generating' || run.status === 'planning') && this.#deps.ownerAlive?.(run.owner)) {
      throw new AppError('CONFLICT', 'Another window or process is working on this run; wait for it, or stop it there');
    }
    if (!run.plan) throw new AppError('CONFLICT', run.status === 'planning' ? 'The plan is still being made' : 'This run has no plan: plan again');
    if (run.status === 'done') throw new AppError('CONFLICT', 'This run is finished: export it, or plan a new run');
    if (options.concurrency !== undefined) this.#deps.runs.updateRun(runId, { concurrency: clampConcurrency(options.concurrency) });
    const plannedPaths = run.plan.files.map((file) => file.path);
    this.#context.validators.prepareProjectCheck?.(runId, languagesOf(plannedPaths), plannedPaths);
    const controller = new AbortController();
    const entry: Active = { controller, done: Promise.resolve() };
    this.#active.set(runId, entry);
    this.#deps.runs.updateRun(runId, { status: 'generating', phase: run.phase === 'plan' ? 'files' : run.phase, error: null, owner: this.#deps.owner });
    // Checks run again from here: a note that one could not run is said again if it still cannot.
    if (run.checkNote !== undefined) this.#deps.runs.setCheckNote(runId, null);
    this.#changed(runId);
    entry.done = this.#execute(runId, entry)
      .catch((error: unknown) => {
        const reason = entry.stopReason;
        try {
          this.#deps.runs.updateRun(runId, { owner: null });
          if (reason === 'paused' || reason === 'closing') this.#deps.runs.updateRun(runId, { status: 'paused', error: reason === 'closing' ? 'The app closed during this run: resume to continue where it stopped' : null });
          else if (reason === 'cancelled') this.#deps.runs.updateRun(runId, { status: 'cancelled', error: null });
          else this.#deps.runs.updateRun(runId, { status: 'failed', error: asAppError(error).message });
        } catch {
          // The database closed with the app; the next start marks the run interrupted (recoverInterrupted).
        }
      })
      .finally(() => {
        this.#context.validators.releaseProjectCheck?.(runId);
        this.#active.delete(runId);
        this.#changed(runId);
      });
    return this.get(runId);
  }

  /** Resolves with the run's state once it is not working in this process any more. */
  async wait(runId: string): Promise<RunView> {
    this.#deps.runs.run(runId);
    await this.#active.get(runId)?.done;
    return this.get(runId);
  }

  /**
   * Pause: files being written finish, no new one starts (in the files phase); in the cross-file
   * and docs phases the current step stops and runs again on resume.
   */
  pause(runId: string): RunView {
    const active = this.#active.get(runId);
    if (!active) throw new AppError('CONFLICT', 'This run is not working, so there is nothing to pause');
    if (active.scheduler) {
      active.scheduler.pause();
      this.#deps.runs.updateRun(runId, { status: 'paused' });
    } else {
      active.stopReason = 'paused';
      active.controller.abort(new AppError('CANCELLED', 'Paused'));
    }
    this.#changed(runId);
    return this.get(runId);
  }

  /** Continues a paused, cancelled, failed or interrupted run; finished files are kept. */
  resume(runId: string, options: { concurrency?: number } = {}): RunView {
    const active = this.#active.get(runId);
    if (active) {
      if (active.stopReason !== undefined) throw new AppError('CONFLICT', 'This run is stopping: resume it once it has stopped');
      this.#resumeActive(runId, active);
      return this.get(runId);
    }
    return this.start(runId, options);
  }

  /** Stops the run: files being written are dropped (they start over on resume), finished ones stay. */
  cancel(runId: string): RunView {
    const planning = this.#planning.get(runId);
    if (planning) {
      planning.abort(new AppError('CANCELLED', 'Planning was cancelled'));
      return this.get(runId);
    }
    const active = this.#active.get(runId);
    if (!active) {
      const run = this.#deps.runs.run(runId);
      // A run paused earlier (or by a closed app) is simply marked cancelled; it can still be resumed.
      if (run.status === 'paused') {
        this.#deps.runs.updateRun(runId, { status: 'cancelled', error: null });
        this.#changed(runId);
        return this.get(runId);
      }
      throw new AppError('CONFLICT', 'This run is not working, so there is nothing to cancel');
    }
    active.stopReason = 'cancelled';
    active.scheduler?.cancel(new AppError('CANCELLED', 'Cancelled'));
    active.controller.abort(new AppError('CANCELLED', 'Cancelled'));
    this.#changed(runId);
    return this.get(runId);
  }

  /** Stops every run (the app is closing); they continue on resume after the next start. */
  stopAll(): void {
    for (const controller of this.#planning.values()) controller.abort(new AppError('CANCELLED', 'The app is closing'));
    for (const active of this.#active.values()) {
      active.stopReason = 'closing';
      active.scheduler?.cancel(new AppError('CANCELLED', 'The app is closing'));
      active.controller.abort(new AppError('CANCELLED', 'The app is closing'));
    }
  }

  /** Waits for stopped runs to record their state (before the database closes). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#active.values()].map((active) => active.done));
  }

  /**
   * Writes the run's files and `.service-creator/provenance.json` to a folder (atomically) or a
   * zip; refused while the run works (exportStoredRun refuses an unfinished one).
   */
  async export(runId: string, options: ExportOptions): Promise<ExportSummary> {
    const run = this.#deps.runs.run(runId);
    if (this.#isWorking(run)) throw new AppError('CONFLICT', 'The run is still working: wait for it to finish, or pause it');
    const { runs, generator, now, protectedFolders, cloudRequestsOf } = this.#deps;
    return exportStoredRun({ runs, generator, ...(now ? { now } : {}), ...(protectedFolders ? { protectedFolders } : {}), ...(cloudRequestsOf ? { cloudRequestsOf } : {}) }, run, options);
  }

  #resumeActive(runId: string, active: Active): void {
    active.scheduler?.resume();
    this.#deps.runs.updateRun(runId, { status: 'generating', error: null });
    this.#changed(runId);
  }

  #isWorking(run: StoredRun): boolean {
    return this.#active.has(run.id) || this.#planning.has(run.id);
  }

  async #execute(runId: string, active: Active): Promise<void> {
    const { runs } = this.#deps;
    const run = runs.run(runId);
    const plan = run.plan;
    if (!plan) throw new AppError('CONFLICT', 'This run has no plan');
    const signal = active.controller.signal;
    runs.resetUnfinished(runId);
    const files = new Map<string, SourceFile>();
    const stored = runs.files(runId);
    for (const file of stored) {
      const planned = plan.files.find((entry) => entry.path === file.path);
      if (file.content !== undefined && file.status === 'done') files.set(file.path, { path: file.path, language: planned?.language ?? 'markdown', content: file.content });
    }
    let phase = runs.run(runId).phase;

    if (phase === 'files') {
      const finished = new Set(stored.filter((file) => file.status === 'done').map((file) => file.path));
      const graph = plan.files.filter((file) => !documentPaths.has(file.path));
      const byPath = new Map(graph.map((file) => [file.path, file]));
      const scheduler = new DagScheduler(
        graph.map((file) => ({ id: file.path, dependsOn: file.dependsOn })),
        {
          concurrency: run.concurrency,
          finished,
          run: (path, nodeSignal) => this.#generate(runId, run.spec, plan, byPath.get(path) as PlanFile, files, nodeSignal),
          onBlocked: (path, dependency) => {
            runs.setFileStatus(runId, path, 'blocked', `Not written: it depends on ${dependency}, which could not be written`);
            this.#context.emit({ runId, kind: 'file-done', path, status: 'blocked' });
          },
          // The layer's files are type-checked and fixed before the next layer builds on them.
          onLayerDone: async (layer, layerSignal) => void (await checkLayer(this.#runContext(runId), { runId, plan: plan.files, files, layer, signal: layerSignal })),
        },
      );
      active.scheduler = scheduler;
      if (signal.aborted) scheduler.cancel(signal.reason);
      const summary = await scheduler.run();
      active.scheduler = undefined;
      if (summary.cancelled || signal.aborted) throw signal.reason ?? new AppError('CANCELLED', 'Cancelled');
      if (scheduler.paused) {
        // Paused after the last file started: stop before the next phase.
        active.stopReason = 'paused';
        throw new AppError('CANCELLED', 'Paused');
      }
      if (summary.failed.length > 0 || summary.blocked.length > 0) {
        const failed = summary.failed.length > 0 ? `${summary.failed.length} failed (${summary.failed.slice(0, 3).join(', ')})` : '';
        const blocked = summary.blocked.length > 0 ? `${summary.blocked.length} blocked by them` : '';
        throw new AppError('INVALID_OUTPUT', `Some files could not be written: ${[failed, blocked].filter(Boolean).join(', ')}. Resume to try them again.`);
      }
      phase = 'consistency';
      runs.updateRun(runId, { phase });
      this.#changed(runId);
    }

    if (phase === 'consistency') {
      await runConsistency(this.#runContext(runId), { runId, plan: plan.files, files, signal });
      phase = 'docs';
      runs.updateRun(runId, { phase });
      this.#changed(runId);
    }

    if (phase === 'docs') {
      const finishedDocs = new Set(runs.files(runId).filter((file) => documentPaths.has(file.path) && file.status === 'done').map((file) => file.path));
      await writeDocs(this.#runContext(runId), { runId, spec: run.spec, plan, files, signal, skip: finishedDocs });
      const failedDocs = runs.files(runId).filter((file) => documentPaths.has(file.path) && file.status !== 'done');
      if (failedDocs.length > 0) {
        throw new AppError('INVALID_OUTPUT', `${failedDocs.map((file) => file.path).join(' and ')} could not be written (${failedDocs[0]?.problems[0]?.message ?? 'invalid output'}). Resume to try again.`);
      }
      runs.updateRun(runId, { phase: 'done', status: 'done', error: null, owner: null });
    }
  }

  /** One node of the graph: writes the file, records its outcome, and says whether dependents may start. */
  async #generate(runId: string, spec: SpecDraft, plan: Plan, file: PlanFile, files: Map<string, SourceFile>, signal: AbortSignal): Promise<'done' | 'failed'> {
    const { runs } = this.#deps;
    runs.setFileStatus(runId, file.path, 'generating');
    this.#changed(runId);
    try {
      const outcome = await generateFile(this.#runContext(runId), { runId, spec, plan: plan.files, file, read: (path) => files.get(path), signal });
      if (outcome.content !== undefined) files.set(file.path, { path: file.path, language: file.language, content: outcome.content });
      const error = outcome.status === 'failed' ? `Still has ${outcome.problems.length} problem(s) after ${this.#context.limits.maxFixAttempts} fix attempt(s): ${outcome.problems[0]?.message ?? ''}` : undefined;
      runs.setFileStatus(runId, file.path, outcome.status, error);
      this.#context.emit({ runId, kind: 'file-done', path: file.path, status: outcome.status });
      return outcome.status;
    } catch (error) {
      if (signal.aborted) {
        runs.setFileStatus(runId, file.path, 'pending');
        throw error;
      }
      runs.setFileStatus(runId, file.path, 'failed', asAppError(error).message);
      this.#context.emit({ runId, kind: 'file-done', path: file.path, status: 'failed' });
      return 'failed';
    } finally {
      this.#changed(runId);
    }
  }

  /** One run's calls carry a sticky key per run and task: a balanced task keeps the target that answered last (its cache, KV reuse). */
  #runContext(runId: string): PipelineContext {
    const { projectId, fresh } = this.#deps.runs.run(runId);
    return {
      ...this.#context,
      // The project goes with every call: one kept local never reaches a cloud target.
      // A fresh run asks every call afresh, whatever the request says of the cache.
      chat: (request) => this.#deps.chat({ stickyKey: `${runId}/${request.task}`, projectId, runId, ...request, ...(fresh ? { cache: 'bypass' as const } : {}) }),
      contextWindow: (task) => this.#deps.contextWindow(task, projectId),
      ...(this.#deps.promptBudget ? { promptBudget: (task) => this.#deps.promptBudget?.(task, projectId) ?? Promise.resolve(undefined) } : {}),
    };
  }

  #changed(runId: string): void {
    this.#deps.bus.emit('pipeline.event', { runId, kind: 'changed' });
  }
}
