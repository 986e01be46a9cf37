import { describe, expect, it } from 'vitest';
import { chooseRun, type RunSummary } from '../../../src-main/cli/pipeline/chooseRun.ts';

const run = (status: RunSummary['status'], id = 'r2', hasPlan = true): RunSummary => ({ id, status, hasPlan });
const same = { forceNew: false, sameSpec: () => true };

describe('chooseRun', () => {
  it('plans when the project has no run', () => {
    expect(chooseRun([], same)).toEqual({ action: 'plan' });
  });

  it('resumes the latest run when it stopped, and starts it when it is planned, if the spec is the same', () => {
    for (const status of ['paused', 'failed', 'cancelled'] as const) expect(chooseRun([run(status), run('done', 'r1')], same)).toEqual({ action: 'resume', runId: 'r2' });
    expect(chooseRun([run('planned')], same)).toEqual({ action: 'start', runId: 'r2' });
  });

  it('plans anew when the spec changed, the latest run is done or has no plan, or --new', () => {
    expect(chooseRun([run('paused')], { forceNew: false, sameSpec: (id) => id !== 'r2' })).toEqual({ action: 'plan', reason: 'the spec changed since run r2 was planned' });
    expect(chooseRun([run('done'), run('paused', 'r1')], same)).toEqual({ action: 'plan', reason: 'the latest run (r2) is finished' });
    expect(chooseRun([run('failed', 'r2', false)], same)).toEqual({ action: 'plan', reason: 'the latest run (r2) has no plan' });
    expect(chooseRun([run('paused')], { forceNew: true, sameSpec: () => true })).toEqual({ action: 'plan', reason: '--new asks for a new plan' });
  });

  it('only looks at the latest run: an older stopped one is not resumed', () => {
    expect(chooseRun([run('done'), run('paused', 'r1')], same).action).toBe('plan');
  });

  it('refuses a run another process is working on, unless --new', () => {
    expect(() => chooseRun([run('generating')], same)).toThrow(/Run r2 is generating in another process/);
    expect(() => chooseRun([run('planning')], same)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(chooseRun([run('generating')], { forceNew: true, sameSpec: () => true }).action).toBe('plan');
  });
});
