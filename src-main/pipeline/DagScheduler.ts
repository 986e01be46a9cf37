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
  /**
   * A layer (the nodes of one depth: no dependencies, then those depending on them, ...) has
   * finished and nodes depend on it: they start only after this resolves (a check and fix of the
   * layer's files). Gets the layer's nodes that are done; not called for a layer done earlier.
   */
  onLayerDone?: (done: string[], signal: AbortSignal) => Promise<void>;
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
  readonly #depth = new Map<string, number>();
  /** Depths whose layer is finished and checked: their dependents may start. */
  readonly #sealed = new Set<number>();
  readonly #sealing = new Set<number>();
  readonly #ranHere = new Set<string>();

  constructor(nodes: readonly DagNode[], options: DagSchedulerOptions) {
    this.#nodes = nodes;
    this.#options = options;
    this.#queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
    for (const node of nodes) this.#state.set(node.id, options.finished?.has(node.id) ? 'done' : 'waiting');
    const byId = new Map(nodes.map((node) => [node.id, node]));
    const depthOf = (id: string, seen: Set<string>): number => {
      const known = this.#depth.get(id);
      if (known !== undefined) return known;
      // A cycle (a plan check refuses them) counts as depth 0 rather than recursing forever.
      if (seen.has(id)) return 0;
      seen.add(id);
      const depth = Math.max(-1, ...(byId.get(id)?.dependsOn ?? []).filter((dependency) => byId.has(dependency)).map((dependency) => depthOf(dependency, seen))) + 1;
      this.#depth.set(id, depth);
      return depth;
    };
    for (const node of nodes) depthOf(node.id, new Set());
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
    if (this.#options.onLayerDone) await this.#sealFinishedLayers();
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
      if (!dependencies.every((id) => this.#state.get(id) === 'done' && this.#isSealed(id))) return;
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
    this.#ranHere.add(id);
    // The node's slot stays taken while its layer is checked, so the queue is not idle meanwhile.
    if (this.#options.onLayerDone) await this.#sealFinishedLayers();
    this.#enqueueReady();
  }

  /** Without onLayerDone there are no layer checks to wait for: a node starts as soon as its dependencies are done. */
  #isSealed(id: string): boolean {
    return this.#options.onLayerDone === undefined || this.#sealed.has(this.#depth.get(id) ?? 0);
  }

  /** Seals each finished layer in depth order, running onLayerDone first where a later node depends on it. */
  async #sealFinishedLayers(): Promise<void> {
    const depths = [...new Set(this.#depth.values())].sort((a, b) => a - b);
    for (const depth of depths) {
      if (this.#sealed.has(depth)) continue;
      if (this.#sealing.has(depth)) return;
      const layer = this.#nodes.filter((node) => this.#depth.get(node.id) === depth);
      if (!layer.every((node) => ['done', 'failed', 'blocked'].includes(this.#state.get(node.id) ?? ''))) return;
      const done = layer.filter((node) => this.#state.get(node.id) === 'done').map((node) => node.id);
      const dependedOn = this.#nodes.some((node) => (this.#depth.get(node.id) ?? 0) > depth && node.dependsOn.some((dependency) => done.includes(dependency)));
      if (this.#options.onLayerDone && dependedOn && done.some((id) => this.#ranHere.has(id)) && !this.#controller.signal.aborted) {
        this.#sealing.add(depth);
        try {
          await this.#options.onLayerDone(done, this.#controller.signal);
        } catch {
          // A failed check leaves the layer as written; the dependents still run.
        } finally {
          this.#sealing.delete(depth);
        }
      }
      this.#sealed.add(depth);
    }
  }
}
