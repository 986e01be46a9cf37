import PQueue from 'p-queue';

export interface DagNode {
  id: string;
  dependsOn: readonly string[];
}

export type NodeOutcome = 'done' | 'failed';

export interface DagSchedulerOptions {
  concurrency: number;
  /** Nodes finished in an earlier process: never run again. */
  finished?: ReadonlySet<string>;
  run: (id: string, signal: AbortSignal) => Promise<NodeOutcome>;
  /** A node will not run because a node it depends on failed. */
  onBlocked?: (id: string, failedDependency: string) => void;
}

export interface DagSummary {
  done: string[];
  failed: string[];
  blocked: string[];
  /** Not started because the run was cancelled. */
  notStarted: string[];
  cancelled: boolean;
}

/**
 * Runs a dependency graph with bounded concurrency (p-queue): a node starts as soon as every node
 * it depends on is done, earlier nodes first (priority by position), so independent files are
 * written in parallel. A failed node blocks its dependents, not its siblings. `pause` lets running
 * nodes finish and starts no more until `resume`; `cancel` aborts the running ones.
 */
export class DagScheduler {
  readonly #nodes: readonly DagNode[];
  readonly #options: DagSchedulerOptions;
  readonly #queue: PQueue;
  readonly #controller = new AbortController();
  readonly #state = new Map<string, 'waiting' | 'queued' | 'running' | 'done' | 'failed' | 'blocked'>();

  constructor(nodes: readonly DagNode[], options: DagSchedulerOptions) {
    this.#nodes = nodes;
    this.#options = options;
    this.#queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
    for (const node of nodes) this.#state.set(node.id, options.finished?.has(node.id) ? 'done' : 'waiting');
  }

  get paused(): boolean {
    return this.#queue.isPaused;
  }

  pause(): void {
    this.#queue.pause();
  }

  resume(): void {
    this.#queue.start();
  }

  cancel(reason?: unknown): void {
    this.#controller.abort(reason);
    this.#queue.clear();
  }

  async run(): Promise<DagSummary> {
    this.#enqueueReady();
    // onIdle resolves when nothing is queued or running; a finishing node enqueues its
    // dependents before its task settles, so idle means the graph is exhausted.
    await this.#queue.onIdle();
    const with_ = (state: string) => this.#nodes.filter((node) => this.#state.get(node.id) === state).map((node) => node.id);
    return {
      done: with_('done'),
      failed: with_('failed'),
      blocked: with_('blocked'),
      notStarted: [...with_('waiting'), ...with_('queued')],
      cancelled: this.#controller.signal.aborted,
    };
  }

  #enqueueReady(): void {
    if (this.#controller.signal.aborted) return;
    this.#nodes.forEach((node, position) => {
      if (this.#state.get(node.id) !== 'waiting') return;
      const dependencies = node.dependsOn.filter((id) => this.#state.has(id));
      const failed = dependencies.find((id) => ['failed', 'blocked'].includes(this.#state.get(id) ?? ''));
      if (failed !== undefined) {
        this.#state.set(node.id, 'blocked');
        this.#options.onBlocked?.(node.id, failed);
        this.#enqueueReady();
        return;
      }
      if (!dependencies.every((id) => this.#state.get(id) === 'done')) return;
      this.#state.set(node.id, 'queued');
      void this.#queue.add(() => this.#runNode(node.id), { priority: -position }).catch(() => undefined);
    });
  }

  async #runNode(id: string): Promise<void> {
    if (this.#controller.signal.aborted) {
      this.#state.set(id, 'waiting');
      return;
    }
    this.#state.set(id, 'running');
    let outcome: NodeOutcome;
    try {
      outcome = await this.#options.run(id, this.#controller.signal);
    } catch {
      outcome = 'failed';
    }
    if (this.#controller.signal.aborted && outcome !== 'done') {
      this.#state.set(id, 'waiting');
      return;
    }
    this.#state.set(id, outcome);
    this.#enqueueReady();
  }
}
