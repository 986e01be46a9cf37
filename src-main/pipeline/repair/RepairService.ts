import { AppError } from '../../../src-shared/AppError.ts';
import type { PlanFile } from '../../../src-shared/pipeline/plan.ts';
import { defaultRepairRounds, maxRepairRounds, type RepairRound, type RepairView, type TestRunView } from '../../../src-shared/sandbox/sandboxTypes.ts';
import type { EventBus } from '../../events/EventBus.ts';
import type { Validators } from '../PipelineContext.ts';
import { fileAnswerMaxChars } from '../answerLimits.ts';
import { reduceToFileContent } from '../reduceToFileContent.ts';
import { loadPrompt } from '../../prompts/loadPrompt.ts';
import type { PipelineRepository } from '../../store/PipelineRepository.ts';
import { isClosedDatabase } from '../../store/isClosedDatabase.ts';
import type { SandboxRepository } from '../../store/SandboxRepository.ts';
import { failingCases, failingTestFiles } from './findInvolvedFiles.ts';
import { defaultRepairTargets, pickRepairTargets, type RepairDiagnostic, type RepairTarget } from './pickRepairTargets.ts';
import { buildRepairPrompt, fallbackTokens } from './buildRepairPrompt.ts';
import type { TestRunOptions, TestRunService } from '../../sandbox/TestRunService.ts';
import type { RouteRequest, RouteResult, TargetTokens } from '../../modelCall/modelCallTypes.ts';

export interface RepairServiceDeps {
  runs: PipelineRepository;
  sandbox: SandboxRepository;
  tests: TestRunService;
  chat: (request: RouteRequest) => Promise<RouteResult>;
  contextWindow: (task: 'fix', projectId?: string) => Promise<number | undefined> | number | undefined;
  /**
   * The window and token count of the target a fix goes to (the gateway's promptBudget); without
   * it, `contextWindow` and o200k with a margin, never under the router's 4-characters estimate.
   */
  promptBudget?: (task: 'fix', projectId?: string) => Promise<TargetTokens | undefined>;
  validators: Validators;
  promptsDir: string;
  bus: EventBus;
  owner?: string;
}

/** Characters of log read for one prompt (the prompt is then sized in tokens); bounds the counting. */
const logChars = 200_000;

interface Active {
  pipelineRunId: string;
  controller: AbortController;
  done: Promise<RepairView>;
  /** The test run in progress, cancelled with the repair. */
  testRunId?: string;
}

interface Score {
  passed: number;
  failed: number;
  outcome: string;
  failing: string;
}

function scoreOf(testRun: TestRunView): Score {
  const result = testRun.result;
  if (!result) return { passed: 0, failed: 0, outcome: 'error', failing: '' };
  return {
    passed: result.summary.passed,
    failed: result.summary.failed + result.summary.errors,
    outcome: result.outcome,
    failing: failingCases(result)
      .map((testCase) => testCase.name)
      .sort()
      .join('\n'),
  };
}

/** Better: a test report where there was none, more passing, or fewer failing. */
function improved(before: Score, after: Score): boolean {
  const reported = (score: Score) => score.outcome === 'passed' || score.outcome === 'failed';
  if (reported(after) !== reported(before)) return reported(after);
  return after.passed > before.passed || after.failed < before.failed;
}

/**
 * The repair loop: run the tests; while they fail and rounds remain, ask the model (task `fix`)
 * for each file the failures point at, with the failing cases, their output and the other files
 * involved; keep an answer only when it passes the pipeline's validators; run the tests again.
 * A round that changes nothing is followed by one asking the next-ranked files not asked yet (the
 * failures are the same, so the tests are not run again); it stops when green, when a round changes
 * nothing and no file is left to ask, when a round makes no progress, or after the last round.
 * Every round is stored: what changed, and what passed after it.
 */
export class RepairService {
  readonly #deps: RepairServiceDeps;
  readonly #active = new Map<string, Active>();

  constructor(deps: RepairServiceDeps) {
    this.#deps = deps;
  }

  get(repairId: string): RepairView {
    return this.#deps.sandbox.repair(repairId);
  }

  list(pipelineRunId: string): RepairView[] {
    this.#deps.runs.run(pipelineRunId);
    return this.#deps.sandbox.repairs(pipelineRunId);
  }

  async start(pipelineRunId: string, options: TestRunOptions & { rounds?: number } = {}): Promise<RepairView> {
    const run = this.#deps.runs.run(pipelineRunId);
    if (run.status !== 'done' || !run.plan) throw new AppError('CONFLICT', `Only a finished generation run can be repaired; this one is ${run.status}`);
    const engine = await this.#deps.tests.engineStatus();
    if (!engine.ok) throw new AppError('SANDBOX_UNAVAILABLE', engine.message);
    if ([...this.#active.values()].some((active) => active.pipelineRunId === pipelineRunId)) throw new AppError('CONFLICT', 'A repair of this run is already running');
    const rounds = Math.min(maxRepairRounds, Math.max(1, Math.floor(options.rounds ?? defaultRepairRounds)));
    const repair = this.#deps.sandbox.createRepair({ projectId: run.projectId, pipelineRunId, maxRounds: rounds, ...(this.#deps.owner ? { owner: this.#deps.owner } : {}) });
    const controller = new AbortController();
    const entry: Active = { pipelineRunId, controller, done: Promise.resolve(repair) };
    entry.done = this.#loop(repair.id, pipelineRunId, rounds, options, entry)
      .then(
        ({ status, note }) => this.#finish(repair.id, status, note),
        (error: unknown) => {
          if (controller.signal.aborted) this.#finish(repair.id, 'cancelled', 'Cancelled');
          else this.#finish(repair.id, 'failed', error instanceof Error ? error.message : String(error));
        },
      )
      .then(() => this.get(repair.id))
      .catch((error: unknown) => {
        if (isClosedDatabase(error)) return repair;
        throw error;
      })
      .finally(() => {
        this.#active.delete(repair.id);
        this.#changed(repair.id);
      });
    this.#active.set(repair.id, entry);
    this.#changed(repair.id);
    return repair;
  }

  #finish(repairId: string, status: 'green' | 'stopped' | 'failed' | 'cancelled', note: string): void {
    try {
      this.#deps.sandbox.finishRepair(repairId, status, note);
    } catch (error) {
      // The database closed with the app; the next start marks the repair interrupted.
      if (!isClosedDatabase(error)) throw error;
    }
  }

  async wait(repairId: string): Promise<RepairView> {
    return this.#active.get(repairId)?.done ?? this.get(repairId);
  }

  cancel(repairId: string): RepairView {
    const active = this.#active.get(repairId);
    if (!active) throw new AppError('CONFLICT', 'This repair is not running');
    active.controller.abort(new AppError('CANCELLED', 'The repair was cancelled'));
    if (active.testRunId) {
      try {
        this.#deps.tests.cancel(active.testRunId);
      } catch {
        // Its test run already ended.
      }
    }
    return this.get(repairId);
  }

  cancelAll(): void {
    for (const id of [...this.#active.keys()]) this.cancel(id);
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.#active.values()].map((active) => active.done));
  }

  async #loop(
    repairId: string,
    pipelineRunId: string,
    rounds: number,
    options: TestRunOptions,
    entry: { controller: AbortController; testRunId?: string },
  ): Promise<{ status: 'green' | 'stopped'; note: string }> {
    const signal = entry.controller.signal;
    const test = async () => {
      signal.throwIfAborted();
      const started = await this.#deps.tests.start(pipelineRunId, { ...options, repairId });
      entry.testRunId = started.id;
      // Cancelled while the test run was being set up: stop it before waiting for it.
      if (signal.aborted) this.#deps.tests.cancel(started.id);
      const done = await this.#deps.tests.wait(started.id);
      signal.throwIfAborted();
      return done;
    };
    let current = await test();
    let score = scoreOf(current);
    this.#deps.sandbox.addRound(repairId, { round: 0, changed: [], testRunId: current.id, passed: score.passed, failed: score.failed, note: `Before repair: ${describe(current)}` });
    this.#changed(repairId);
    // Files asked since the tests last ran, in rounds that changed nothing: the next round asks others.
    const asked = new Set<string>();
    let widened: RepairTarget[] | undefined;
    for (let round = 1; round <= rounds; round += 1) {
      if (current.result?.outcome === 'passed') return { status: 'green', note: round === 1 ? 'The tests already pass' : `Green after ${round - 1} round(s)` };
      // An install step that failed is the manifest's to fix; any other error is the engine's.
      if (current.result?.outcome === 'error' && current.result.failedStep !== 'install') return { status: 'stopped', note: `The tests could not run: ${current.result.message ?? 'unknown error'}` };
      const plan = this.#deps.runs.run(pipelineRunId).plan?.files ?? [];
      const withLog = this.#deps.sandbox.testRun(current.id);
      const targets = widened ?? (await this.#targets(pipelineRunId, plan, withLog, asked, signal));
      widened = undefined;
      if (targets.length === 0) return { status: 'stopped', note: 'The failures name no project file to fix' };
      const changed: RepairRound['changed'] = [];
      // One after the other: each answer is validated against the files as they are now.
      for (const target of targets) {
        signal.throwIfAborted();
        changed.push({ ...(await this.#fixFile(pipelineRunId, target, targets, plan, withLog, signal)), why: target.why.join('; ') });
      }
      if (!changed.some((item) => item.outcome === 'changed')) {
        // Nothing changed, so the failures are the same: the next round asks files not asked yet,
        // the next-ranked by the same evidence, before giving up.
        for (const target of targets) asked.add(target.file.path);
        widened = round < rounds ? await this.#targets(pipelineRunId, plan, withLog, asked, signal) : [];
        const next = widened.map((target) => target.file.path).join(', ');
        this.#deps.sandbox.addRound(repairId, { round, changed, passed: score.passed, failed: score.failed, note: next ? `No usable change: the next round asks ${next}` : 'No usable change: stopped' });
        this.#changed(repairId);
        if (!next) return { status: 'stopped', note: `Round ${round} produced no usable change` };
        continue;
      }
      asked.clear();
      const next = await test();
      const nextScore = scoreOf(next);
      const progress = improved(score, nextScore);
      this.#deps.sandbox.addRound(repairId, {
        round,
        changed,
        testRunId: next.id,
        passed: nextScore.passed,
        failed: nextScore.failed,
        note: `${describe(next)}${progress ? '' : ' (no progress)'}`,
      });
      this.#changed(repairId);
      current = next;
      if (nextScore.failed === 0 && next.result?.outcome === 'passed') return { status: 'green', note: `Green after ${round} round(s)` };
      if (!progress) return { status: 'stopped', note: `Round ${round} made no progress` };
      score = nextScore;
    }
    return { status: 'stopped', note: `Still failing after ${rounds} round(s): ${describe(current)}` };
  }

  /** The files to fix this round, by the evidence of the failures (and the type checker's, when the validators have one). */
  async #targets(pipelineRunId: string, plan: readonly PlanFile[], testRun: TestRunView, asked: ReadonlySet<string>, signal: AbortSignal): Promise<RepairTarget[]> {
    const files = this.#deps.runs.files(pipelineRunId);
    const contentOf = (path: string) => files.find((file) => file.path === path)?.content ?? undefined;
    const sources = plan.flatMap((file) => (file.kind === 'doc' ? [] : [{ path: file.path, language: file.language, content: contentOf(file.path) ?? '' }]));
    let diagnostics: readonly RepairDiagnostic[] = [];
    try {
      diagnostics = (await this.#deps.validators.checkProject?.(sources, { pending: [], signal })) ?? [];
    } catch {
      // Evidence only: a type check that fails or times out leaves the failures to speak.
      signal.throwIfAborted();
    }
    const result = testRun.result;
    return pickRepairTargets(
      { cases: result?.cases ?? [], log: testRun.log.slice(-logChars), ...(result?.runaway ? { runaway: result.runaway } : {}), ...(result?.failedStep ? { failedStep: result.failedStep } : {}), diagnostics },
      plan,
      contentOf,
      defaultRepairTargets,
      asked,
    );
  }

  async #fixFile(pipelineRunId: string, chosen: RepairTarget, round: readonly RepairTarget[], plan: readonly PlanFile[], testRun: TestRunView, signal: AbortSignal): Promise<RepairRound['changed'][number]> {
    const { runs } = this.#deps;
    const target = chosen.file;
    const files = runs.files(pipelineRunId);
    const contentOf = (path: string) => files.find((file) => file.path === path)?.content ?? undefined;
    const current = contentOf(target.path) ?? '';
    const result = testRun.result;
    const failures = result ? failingCases(result) : [];
    const runaway = result?.runaway;
    const failureText =
      failures.length > 0
        ? failures.map((testCase) => `${testCase.name}: ${testCase.status}\n${testCase.message ?? ''}\n${testCase.details ?? ''}`).join('\n\n')
        : [
            `${result?.outcome ?? 'error'} (exit code ${result?.exitCode ?? 'none'})${result?.message ? `: ${result.message}` : ''}`,
            ...(runaway?.stacks ? [`The stacks of ${runaway.name} when the run was stopped:\n${runaway.stacks}`] : []),
            testRun.log.slice(-logChars),
          ].join('\n\n');
    const testPaths = new Set([...failingTestFiles(result ?? { cases: [] }, plan).map((file) => file.path), ...(runaway?.file ? [runaway.file] : [])]);
    const tests = plan.filter((file) => testPaths.has(file.path) && file.path !== target.path).map((file) => ({ path: file.path, content: contentOf(file.path) ?? '' }));
    const interfaces = await Promise.all(
      plan
        .filter((file) => target.dependsOn.includes(file.path) && file.kind === 'source' && !testPaths.has(file.path))
        .map(async (file) => ({ path: file.path, text: await this.#deps.validators.exportedSignatures({ path: file.path, language: file.language, content: contentOf(file.path) ?? '' }) })),
    );
    const others = round.filter((other) => other.file.path !== target.path && !testPaths.has(other.file.path)).map((other) => ({ path: other.file.path, content: contentOf(other.file.path) ?? '' }));
    const template = loadPrompt(this.#deps.promptsDir, 'repair-file');
    // The project goes with every call: one kept local is sized for, and sent to, local targets only.
    const { projectId, fresh } = this.#deps.runs.run(pipelineRunId);
    const tokens = (await this.#deps.promptBudget?.('fix', projectId)) ?? fallbackTokens((await this.#deps.contextWindow('fix', projectId)) ?? 8192);
    const prompt = buildRepairPrompt({ template, target: chosen, content: current, failures: failureText, tests, interfaces, others, tokens });
    // A repair prompt that cannot fit the window is not sent: the note says why, in numbers.
    if (!prompt.ok) return { path: target.path, outcome: 'failed', note: prompt.note };
    const { messages, maxTokens } = prompt;
    let answer: RouteResult;
    try {
      // A repair is one of its run's calls: counted with the run (usage by run, its trace), sticky
      // to the target that answered the run's last fix, and asked afresh when the run is fresh.
      answer = await this.#deps.chat({
        task: 'fix',
        temperature: 0.2,
        maxTokens,
        maxChars: fileAnswerMaxChars,
        signal,
        messages,
        projectId,
        runId: pipelineRunId,
        stickyKey: `${pipelineRunId}/fix`,
        ...(fresh ? { cache: 'bypass' as const } : {}),
        promptVersion: template.id,
      });
    } catch (error) {
      signal.throwIfAborted();
      return { path: target.path, outcome: 'failed', note: error instanceof Error ? error.message : String(error) };
    }
    const reduced = reduceToFileContent(answer.text, target, answer.finishReason);
    if (!reduced.ok) return { path: target.path, outcome: 'invalid', note: reduced.problem };
    if (reduced.content === current) return { path: target.path, outcome: 'unchanged' };
    const checked = await this.#deps.validators.validateFile(
      { path: target.path, language: target.language, content: reduced.content, exports: target.exports },
      { paths: plan.map((file) => file.path), read: (path) => (path === target.path ? reduced.content : contentOf(path)) },
    );
    if (checked.problems.length > 0) {
      return { path: target.path, outcome: 'invalid', note: checked.problems.map((problem) => problem.message).join('; ').slice(0, 500) };
    }
    runs.addVersion(pipelineRunId, target.path, {
      reason: 'repair',
      content: checked.formatted ?? reduced.content,
      problems: [],
      providerId: answer.target.providerId,
      model: answer.target.model,
      requestId: answer.requestId,
      promptVersion: template.id,
      inputTokens: answer.inputTokens,
      outputTokens: answer.outputTokens,
      countsAsAttempt: true,
    });
    // Every window showing the run sees the new version.
    this.#deps.bus.emit('pipeline.event', { runId: pipelineRunId, kind: 'changed' });
    return { path: target.path, outcome: 'changed' };
  }

  #changed(repairId: string): void {
    this.#deps.bus.emit('sandbox.event', { repairId, kind: 'repair-changed' });
  }
}

function describe(testRun: TestRunView): string {
  const result = testRun.result;
  if (!result) return testRun.status;
  const { passed, failed, errors } = result.summary;
  return `${result.outcome}: ${passed} passed, ${failed + errors} failing`;
}
