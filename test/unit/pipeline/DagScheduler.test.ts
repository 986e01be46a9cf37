import { describe, expect, it } from 'vitest';
import { DagScheduler, type DagNode, type DagSummary, type NodeOutcome } from '../../../src-main/pipeline/DagScheduler.ts';

/** Lets queued promise callbacks and p-queue's bookkeeping run. */
async function settle(rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

interface Running {
  signal: AbortSignal;
  finish: (outcome: NodeOutcome) => void;
  fail: (error: Error) => void;
}

/**
 * A `run` function the test drives: each node waits until the test finishes it, and every start
 * is recorded with how many nodes were running at that moment.
 */
function harness() {
  const running = new Map<string, Running>();
  const started: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const run = (id: string, signal: AbortSignal): Promise<NodeOutcome> =>
    new Promise<NodeOutcome>((resolve, reject) => {
      started.push(id);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const done = () => {
        inFlight -= 1;
        running.delete(id);
      };
      running.set(id, {
        signal,
        finish: (outcome) => {
          done();
          resolve(outcome);
        },
        fail: (error) => {
          done();
          reject(error);
        },
      });
    });
  const finish = async (id: string, outcome: NodeOutcome = 'done') => {
    const node = running.get(id);
    if (!node) throw new Error(`${id} is not running (running: ${[...running.keys()].join(', ') || 'none'})`);
    node.finish(outcome);
    await settle();
  };
  return {
    run,
    started,
    running,
    finish,
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

const node = (id: string, ...dependsOn: string[]): DagNode => ({ id, dependsOn });

/** Tracks whether `run()` has resolved, without awaiting it. */
function track(promise: Promise<DagSummary>) {
  const state: { summary?: DagSummary } = {};
  void promise.then((summary) => {
    state.summary = summary;
  });
  return state;
}

describe('DagScheduler', () => {
  it('never runs more nodes at once than the concurrency bound, and uses all of it', async () => {
    const h = harness();
    const nodes = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => node(id));
    const summary = track(new DagScheduler(nodes, { concurrency: 3, run: h.run }).run());
    await settle();
    expect(h.started).toEqual(['a', 'b', 'c']);
    for (const id of ['b', 'a', 'd', 'c', 'e', 'f', 'g']) await h.finish(id);
    expect(h.maxInFlight).toBe(3);
    expect(h.started).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(summary.summary).toEqual({ done: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], failed: [], blocked: [], notStarted: [], cancelled: false });
  });

  it('treats a concurrency below one as one', async () => {
    const h = harness();
    void new DagScheduler([node('a'), node('b')], { concurrency: 0, run: h.run }).run();
    await settle();
    expect(h.started).toEqual(['a']);
    await h.finish('a');
    await h.finish('b');
    expect(h.maxInFlight).toBe(1);
  });

  it('starts a node only when every node it depends on is done, and independent ones in parallel', async () => {
    const h = harness();
    const nodes = [node('models'), node('config'), node('store', 'models'), node('api', 'store', 'config'), node('tests', 'api')];
    const summary = track(new DagScheduler(nodes, { concurrency: 4, run: h.run }).run());
    await settle();
    expect(h.started).toEqual(['models', 'config']);
    await h.finish('models');
    expect(h.started).toEqual(['models', 'config', 'store']);
    await h.finish('store');
    expect(h.started).not.toContain('api');
    await h.finish('config');
    expect(h.started.at(-1)).toBe('api');
    await h.finish('api');
    await h.finish('tests');
    expect(summary.summary?.done).toEqual(['models', 'config', 'store', 'api', 'tests']);
  });

  it('starts ready nodes in plan order, a newly ready early node before later queued ones', async () => {
    const h = harness();
    const nodes = [node('a'), node('b', 'a'), node('c'), node('d')];
    const summary = track(new DagScheduler(nodes, { concurrency: 1, run: h.run }).run());
    await settle();
    await h.finish('a');
    // b became ready after c and d were queued, but comes first in the plan.
    expect(h.started).toEqual(['a', 'b']);
    await h.finish('b');
    await h.finish('c');
    await h.finish('d');
    expect(h.started).toEqual(['a', 'b', 'c', 'd']);
    expect(summary.summary?.done).toEqual(['a', 'b', 'c', 'd']);
  });

  it('ignores dependencies on nodes outside the graph', async () => {
    const h = harness();
    const summary = track(new DagScheduler([node('a', 'not-in-graph')], { concurrency: 1, run: h.run }).run());
    await settle();
    await h.finish('a');
    expect(summary.summary?.done).toEqual(['a']);
  });

  it('a failed node blocks its dependents transitively but not its siblings', async () => {
    const h = harness();
    const blocked: [string, string][] = [];
    const nodes = [node('models'), node('store', 'models'), node('api', 'store'), node('config'), node('settings', 'config'), node('docs', 'api', 'settings')];
    const scheduler = new DagScheduler(nodes, { concurrency: 2, run: h.run, onBlocked: (id, dependency) => blocked.push([id, dependency]) });
    const summary = track(scheduler.run());
    await settle();
    await h.finish('models', 'failed');
    expect(blocked).toEqual([
      ['store', 'models'],
      ['api', 'store'],
      ['docs', 'api'],
    ]);
    await h.finish('config');
    await h.finish('settings');
    expect(h.started).toEqual(['models', 'config', 'settings']);
    expect(summary.summary).toEqual({ done: ['config', 'settings'], failed: ['models'], blocked: ['store', 'api', 'docs'], notStarted: [], cancelled: false });
  });

  it('counts a node whose run throws as failed', async () => {
    const h = harness();
    const summary = track(new DagScheduler([node('a'), node('b', 'a')], { concurrency: 1, run: h.run }).run());
    await settle();
    h.running.get('a')?.fail(new Error('model down'));
    await settle();
    expect(summary.summary).toMatchObject({ failed: ['a'], blocked: ['b'], done: [] });
  });

  it('never runs nodes finished in an earlier process, and starts their dependents at once', async () => {
    const h = harness();
    const nodes = [node('models'), node('store', 'models'), node('api', 'store')];
    const summary = track(new DagScheduler(nodes, { concurrency: 2, finished: new Set(['models', 'store']), run: h.run }).run());
    await settle();
    expect(h.started).toEqual(['api']);
    await h.finish('api');
    expect(summary.summary?.done).toEqual(['models', 'store', 'api']);
  });

  it('resolves at once when every node is finished, or there are none', async () => {
    const h = harness();
    expect(await new DagScheduler([node('a')], { concurrency: 1, finished: new Set(['a']), run: h.run }).run()).toMatchObject({ done: ['a'], notStarted: [] });
    expect(await new DagScheduler([], { concurrency: 1, run: h.run }).run()).toEqual({ done: [], failed: [], blocked: [], notStarted: [], cancelled: false });
    expect(h.started).toEqual([]);
  });

  it('pause lets the running node finish and starts none until resume', async () => {
    const h = harness();
    const scheduler = new DagScheduler([node('a'), node('b'), node('c', 'a')], { concurrency: 1, run: h.run });
    const summary = track(scheduler.run());
    await settle();
    expect(h.started).toEqual(['a']);
    scheduler.pause();
    expect(scheduler.paused).toBe(true);
    expect(h.running.get('a')?.signal.aborted).toBe(false);
    await h.finish('a');
    await settle();
    expect(h.started).toEqual(['a']);
    expect(summary.summary).toBeUndefined();
    scheduler.resume();
    expect(scheduler.paused).toBe(false);
    await settle();
    // c became ready while paused; b comes first in the plan, so it starts first.
    expect(h.started).toEqual(['a', 'b']);
    await h.finish('b');
    await h.finish('c');
    expect(summary.summary).toEqual({ done: ['a', 'b', 'c'], failed: [], blocked: [], notStarted: [], cancelled: false });
  });

  it('pause with several running lets them all finish', async () => {
    const h = harness();
    const scheduler = new DagScheduler([node('a'), node('b'), node('c'), node('d', 'a')], { concurrency: 2, run: h.run });
    const summary = track(scheduler.run());
    await settle();
    scheduler.pause();
    await h.finish('b');
    await h.finish('a');
    expect(h.started).toEqual(['a', 'b']);
    expect(summary.summary).toBeUndefined();
    scheduler.resume();
    await settle();
    expect(h.started.slice(2).sort()).toEqual(['c', 'd']);
    await h.finish('c');
    await h.finish('d');
    expect(h.maxInFlight).toBe(2);
    expect(summary.summary?.done).toEqual(['a', 'b', 'c', 'd']);
  });

  it('cancel aborts the running nodes and reports the rest as not started', async () => {
    const h = harness();
    const nodes = [node('a'), node('b'), node('c'), node('d', 'a')];
    const scheduler = new DagScheduler(nodes, { concurrency: 2, run: h.run });
    const summary = track(scheduler.run());
    await settle();
    const signals = ['a', 'b'].map((id) => h.running.get(id)?.signal);
    scheduler.cancel(new Error('user cancelled'));
    expect(signals.map((signal) => signal?.aborted)).toEqual([true, true]);
    expect((signals[0]?.reason as Error).message).toBe('user cancelled');
    h.running.get('a')?.fail(new Error('aborted'));
    await h.finish('b', 'failed');
    expect(h.started).toEqual(['a', 'b']);
    expect(summary.summary?.cancelled).toBe(true);
    expect(summary.summary?.done).toEqual([]);
    expect(summary.summary?.failed).toEqual([]);
    expect(summary.summary?.blocked).toEqual([]);
    expect([...(summary.summary?.notStarted ?? [])].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps a node that completed despite the cancel as done, and starts none after it', async () => {
    const h = harness();
    const scheduler = new DagScheduler([node('a'), node('b', 'a')], { concurrency: 1, run: h.run });
    const summary = track(scheduler.run());
    await settle();
    scheduler.cancel();
    await h.finish('a', 'done');
    expect(h.started).toEqual(['a']);
    expect(summary.summary).toMatchObject({ done: ['a'], notStarted: ['b'], cancelled: true });
  });

  it('cancel while paused resolves the run without starting anything', async () => {
    const h = harness();
    const scheduler = new DagScheduler([node('a'), node('b'), node('c')], { concurrency: 1, run: h.run });
    const summary = track(scheduler.run());
    await settle();
    scheduler.pause();
    await h.finish('a');
    scheduler.cancel();
    await settle();
    expect(h.started).toEqual(['a']);
    expect(summary.summary).toMatchObject({ done: ['a'], cancelled: true });
    expect([...(summary.summary?.notStarted ?? [])].sort()).toEqual(['b', 'c']);
  });

  it('cancel before run starts nothing', async () => {
    const h = harness();
    const scheduler = new DagScheduler([node('a'), node('b')], { concurrency: 2, run: h.run });
    scheduler.cancel();
    const summary = await scheduler.run();
    expect(h.started).toEqual([]);
    expect(summary).toEqual({ done: [], failed: [], blocked: [], notStarted: ['a', 'b'], cancelled: true });
  });
});
