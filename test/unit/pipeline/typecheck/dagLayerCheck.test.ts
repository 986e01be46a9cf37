import { describe, expect, it } from 'vitest';
import { DagScheduler, type NodeOutcome } from '../../../../src-main/pipeline/DagScheduler.ts';

/** Each node takes its own time; the log records starts, ends and layer checks in order. */
function graph(durations: Record<string, number>, log: string[]) {
  return async (id: string): Promise<NodeOutcome> => {
    log.push(`start ${id}`);
    await new Promise((resolve) => setTimeout(resolve, durations[id] ?? 1));
    log.push(`end ${id}`);
    return id === 'bad' ? 'failed' : 'done';
  };
}

describe('DagScheduler layer checks', () => {
  it('checks a finished layer before any node that depends on it starts, and not the last layer', async () => {
    const log: string[] = [];
    const layers: string[][] = [];
    const scheduler = new DagScheduler(
      [
        { id: 'a', dependsOn: [] },
        { id: 'b', dependsOn: [] },
        { id: 'c', dependsOn: ['a'] },
        { id: 'd', dependsOn: ['c', 'b'] },
      ],
      {
        concurrency: 4,
        run: graph({ a: 1, b: 30, c: 1, d: 1 }, log),
        onLayerDone: async (done) => {
          layers.push(done);
          log.push(`check ${done.join(',')}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
      },
    );
    const summary = await scheduler.run();
    expect(summary.done).toEqual(['a', 'b', 'c', 'd']);
    // c depends only on a, yet waits for b (same layer) and the check of that layer.
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('check a,b'));
    expect(log.indexOf('check a,b')).toBeGreaterThan(log.indexOf('end b'));
    expect(log.indexOf('start d')).toBeGreaterThan(log.indexOf('check c'));
    expect(layers).toEqual([['a', 'b'], ['c']]);
  });

  it('passes only the done nodes, blocks dependents of a failed one, and survives a failing check', async () => {
    const log: string[] = [];
    const layers: string[][] = [];
    const summary = await new DagScheduler(
      [
        { id: 'ok', dependsOn: [] },
        { id: 'bad', dependsOn: [] },
        { id: 'x', dependsOn: ['ok'] },
        { id: 'y', dependsOn: ['bad'] },
      ],
      {
        concurrency: 2,
        run: graph({}, log),
        onLayerDone: async (done) => {
          layers.push(done);
          throw new Error('checker crashed');
        },
      },
    ).run();
    expect(layers).toEqual([['ok']]);
    expect(summary.done).toEqual(['ok', 'x']);
    expect(summary.failed).toEqual(['bad']);
    expect(summary.blocked).toEqual(['y']);
  });

  it('does not check layers finished in an earlier process', async () => {
    const layers: string[][] = [];
    await new DagScheduler(
      [
        { id: 'a', dependsOn: [] },
        { id: 'b', dependsOn: ['a'] },
        { id: 'c', dependsOn: ['b'] },
      ],
      { concurrency: 1, finished: new Set(['a']), run: graph({}, []), onLayerDone: async (done) => void layers.push(done) },
    ).run();
    expect(layers).toEqual([['b']]);
  });
});
