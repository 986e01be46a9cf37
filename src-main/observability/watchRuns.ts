import type { PipelineEvent } from '../../src-shared/pipeline/pipelineTypes.ts';
import type { SandboxEvent, TestRunView } from '../../src-shared/sandbox/sandboxTypes.ts';
import type { EventBus } from '../events/EventBus.ts';
import type { PipelineRepository } from '../store/PipelineRepository.ts';
import type { SandboxRepository } from '../store/SandboxRepository.ts';

export interface RunStart {
  runId: string;
  projectId: string;
  status: string;
  at: number;
}

export interface RunEnd extends RunStart {
  startedAt: number;
  error: string | undefined;
}

export interface SandboxEnd {
  testRun: TestRunView;
  startedAt: number;
  at: number;
}

export interface RunWatcherDeps {
  bus: EventBus;
  runs: PipelineRepository;
  sandbox: SandboxRepository;
  now: () => number;
  onRunStart: (run: RunStart) => void;
  onRunEnd: (run: RunEnd) => void;
  onSandboxStart: (testRun: TestRunView) => void;
  onSandboxEnd: (end: SandboxEnd) => void;
}

/** The statuses in which a generation run works (and its model calls belong to a period of it). */
const working = new Set(['planning', 'generating']);

/**
 * Generation and sandbox runs starting and ending in this process, seen from the events their
 * services already send (`pipeline.event` and `sandbox.event` "changed": the bus only carries
 * this process's own), so neither service knows about logs or traces. A generation run works
 * while planning or generating; each such period is one start and one end. Returns unsubscribe.
 */
export function watchRuns(deps: RunWatcherDeps): () => void {
  const runs = new Map<string, RunStart>();
  const testRuns = new Map<string, number>();

  const pipelineChanged = (runId: string) => {
    let run;
    try {
      run = deps.runs.run(runId);
    } catch {
      return; // Deleted with its project, or the database closed.
    }
    const open = runs.get(runId);
    if (!open && working.has(run.status)) {
      const start = { runId, projectId: run.projectId, status: run.status, at: deps.now() };
      runs.set(runId, start);
      deps.onRunStart(start);
    } else if (open && !working.has(run.status)) {
      runs.delete(runId);
      deps.onRunEnd({ runId, projectId: run.projectId, status: run.status, at: deps.now(), startedAt: open.at, error: run.error });
    }
  };

  const sandboxChanged = (testRunId: string) => {
    let testRun;
    try {
      testRun = deps.sandbox.testRun(testRunId, false);
    } catch {
      return;
    }
    const since = testRuns.get(testRunId);
    if (since === undefined && testRun.status === 'running') {
      testRuns.set(testRunId, deps.now());
      deps.onSandboxStart(testRun);
    } else if (since !== undefined && testRun.status !== 'running') {
      testRuns.delete(testRunId);
      deps.onSandboxEnd({ testRun, startedAt: since, at: deps.now() });
    }
  };

  return deps.bus.subscribe((event, payload) => {
    if (event === 'pipeline.event') {
      const changed = payload as PipelineEvent;
      if (changed.kind === 'changed') pipelineChanged(changed.runId);
    } else if (event === 'sandbox.event') {
      const changed = payload as SandboxEvent;
      if (changed.kind === 'changed') sandboxChanged(changed.testRunId);
    }
  });
}
