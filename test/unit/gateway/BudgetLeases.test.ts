// Budget leases (BudgetLeases through GatewayControls) on a real SQLite file opened three times:
// two connections stand for two processes making calls, a third reads the budgets as another
// process would. Calls are driven the way the router drives them: admit, the attempt recorded
// with its real cost (or none: unknown), then release; batches are written when the test says.
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GatewayControls } from '../../../src-main/gateway/GatewayControls.ts';
import { AttemptRepository } from '../../../src-main/store/AttemptRepository.ts';
import { BudgetRepository } from '../../../src-main/store/BudgetRepository.ts';
import { configGeneration } from '../../../src-main/store/cacheUntilChange.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { seededRandom } from '../../support/seededRandom.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const cloud: ProviderConfig = { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: 'https://example.com/v1', models: ['m'], limits: {}, enabled: true };
const eps = 1e-9;

interface Call {
  amountUsd: number;
  /** Records the attempt (real cost, or undefined: unknown) and releases the admission, as the router does. */
  end(costUsd: number | undefined): void;
}

/** One "process": its own connection, attempts and controls, on the shared clock. */
function processOn(path: string, now: () => number, name: string) {
  const db = openDatabase(path);
  const attempts = new AttemptRepository(db);
  const controls = new GatewayControls({ db, attempts, responseCache: () => ({ enabled: false, ttlHours: 1, maxMegabytes: 1 }), now });
  let n = 0;
  const call = (amountUsd: number, holdMs = 120_000): Call | undefined => {
    const requestId = `${name}-${++n}`;
    const admission = controls.forCall(controls.snapshot(configGeneration(db))).admit({ requestId, target: { providerId: 'cloud', model: 'm' }, config: cloud, projectId: undefined, amountUsd, holdMs });
    if ('refused' in admission) return undefined;
    return {
      amountUsd,
      end: (costUsd) => {
        attempts.insert({ requestId, attemptNo: 1, startedAt: new Date(now()).toISOString(), task: 'code', providerId: 'cloud', model: 'm', outcome: 'ok', reason: 'test', costUsd });
        admission.release(costUsd);
      },
    };
  };
  return { db, attempts, controls, call };
}

function setUp(tempDir: () => string, limitUsd: number) {
  const path = join(tempDir(), 'service-creator.db');
  const clock = { now: Date.now() };
  const now = () => clock.now;
  const a = processOn(path, now, 'a');
  const b = processOn(path, now, 'b');
  const thirdDb: Database = openDatabase(path);
  const third = new BudgetRepository(thirdDb, now);
  third.set({ scope: 'overall', scopeId: '', period: 'month', limitUsd });
  const seen = () => {
    const [status] = third.statuses();
    if (!status) throw new Error('no budget');
    return status;
  };
  const rows = () => thirdDb.prepare("SELECT at_ms AS at, amount_usd AS amount FROM budget_ledger WHERE state = 'reserved' ORDER BY id").all() as { at: number; amount: number }[];
  return { clock, a, b, third, seen, rows };
}

describe('BudgetLeases', () => {
  const tempDir = useTempDirs();

  it('one ledger row serves many calls; another connection sees each cost reserved until its batch is written, then spent, never both, never neither', () => {
    const { a, seen, rows } = setUp(tempDir, 1000);
    const first = a.call(1);
    // A lease of 32 calls like this one (a sixteenth of $1000 would allow $62.50).
    expect(seen()).toMatchObject({ spentUsd: 0, reservedUsd: 32 });
    first?.end(0.4);
    expect(seen()).toMatchObject({ spentUsd: 0, reservedUsd: 32 });
    a.attempts.flush();
    expect(seen().spentUsd).toBeCloseTo(0.4, 9);
    expect(seen().reservedUsd).toBeCloseTo(31.6, 9);
    // No usage reported: counted at its projection, as spent.
    a.call(2)?.end(undefined);
    a.call(0.5)?.end(0.25);
    a.attempts.flush();
    expect(rows()).toHaveLength(1);
    expect(seen().spentUsd).toBeCloseTo(2.65, 9);
    expect(seen().reservedUsd).toBeCloseTo(29.35, 9);
    // Before this process reads statuses it gives its idle lease back.
    const [mine] = a.controls.budgetStatuses();
    expect(mine?.reservedUsd).toBe(0);
    expect(mine?.spentUsd).toBeCloseTo(2.65, 9);
    expect(seen().reservedUsd).toBe(0);
    expect(rows()).toEqual([]);
  });

  it('a lease is at most a sixteenth of the room left, so each process leaves the others room', () => {
    const { a, b, seen } = setUp(tempDir, 20);
    a.call(1);
    expect(seen().reservedUsd).toBeCloseTo(1.25, 9);
    b.call(1);
    expect(seen().reservedUsd).toBeCloseTo(1.25 + 18.75 / 16, 9);
  });

  it('a lease takes calls for 2 s: the next call after gives it back (its costs written) and reserves anew', () => {
    const { clock, a, seen, rows } = setUp(tempDir, 1000);
    a.call(1)?.end(0.75);
    const started = clock.now;
    expect(rows()).toEqual([{ at: started, amount: 32 }]);
    clock.now += 2_001;
    // A call with a shorter deadline, so its hold would still fit the old row's: the 2 s end it.
    expect(a.call(1, 60_000)).toBeDefined();
    // The old row is gone (its $0.75 spent), a new one reserved now.
    expect(rows()).toEqual([{ at: started + 2_001, amount: 32 }]);
    expect(seen().spentUsd).toBeCloseTo(0.75, 9);
    expect(seen().reservedUsd).toBe(32);
  });

  it('idle for 2 s, a lease is given back without another call (real time)', async () => {
    const { a, seen } = setUp(tempDir, 1000);
    a.call(1)?.end(0.3);
    expect(seen().reservedUsd).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(seen().reservedUsd).toBe(0);
    expect(seen().spentUsd).toBeCloseTo(0.3, 9);
  });

  it('a budget changed by another connection ends the lease at the next call: refused when no room is left, exact when one call fits', () => {
    const { a, b, third, seen, rows } = setUp(tempDir, 1000);
    a.call(1)?.end(1);
    a.attempts.flush();
    expect(seen().reservedUsd).toBeCloseTo(31, 9);
    third.set({ scope: 'overall', scopeId: '', period: 'month', limitUsd: 1.5 });
    // The lease still has $31 in this process's memory, but the limit moved: nothing is drawn from it.
    expect(a.call(1)).toBeUndefined();
    expect(rows()).toEqual([]);
    expect(seen()).toMatchObject({ spentUsd: 1, reservedUsd: 0 });
    third.set({ scope: 'overall', scopeId: '', period: 'month', limitUsd: 2 });
    const last = a.call(1);
    expect(last).toBeDefined();
    // Room for one call: the lease is that call's amount, and the other process has none.
    expect(seen().reservedUsd).toBeCloseTo(1, 9);
    expect(b.call(0.01)).toBeUndefined();
    last?.end(1);
    expect(b.controls.budgetStatuses()[0]).toMatchObject({ spentUsd: 2, reservedUsd: 0 });
  });

  it('two processes, varied projections and real costs (some unknown): spent+reserved stays within the limit and never below what was spent, and ends as exactly the costs', () => {
    const { clock, a, b, seen } = setUp(tempDir, 60);
    const random = seededRandom(7);
    const procs = [a, b].map((proc) => ({ proc, inFlight: [] as Call[] }));
    let spent = 0;
    let refusals = 0;
    for (let step = 0; step < 1500; step++) {
      const { proc, inFlight } = procs[Math.floor(random() * 2)] as (typeof procs)[number];
      const roll = random();
      if (roll < 0.45 && inFlight.length < 6) {
        const call = proc.call(Math.round((0.1 + random() * 1.9) * 100) / 100);
        if (call) inFlight.push(call);
        else refusals += 1;
      } else if (roll < 0.85 && inFlight.length > 0) {
        const [call] = inFlight.splice(Math.floor(random() * inFlight.length), 1) as [Call];
        const unknown = random() < 0.2;
        const cost = unknown ? undefined : Math.round(call.amountUsd * random() * 1000) / 1000;
        call.end(cost);
        spent += cost ?? call.amountUsd;
      } else if (roll < 0.95) proc.attempts.flush();
      else clock.now += Math.floor(random() * 900);
      const status = seen();
      const held = procs.reduce((sum, each) => sum + each.inFlight.reduce((inner, call) => inner + call.amountUsd, 0), 0);
      expect(status.spentUsd + status.reservedUsd).toBeLessThanOrEqual(60 + eps);
      expect(status.spentUsd + status.reservedUsd).toBeGreaterThanOrEqual(spent + held - eps);
    }
    expect(refusals).toBeGreaterThan(0);
    for (const { inFlight } of procs) for (const call of inFlight.splice(0)) {
      call.end(call.amountUsd);
      spent += call.amountUsd;
    }
    a.controls.budgetStatuses();
    const [status] = b.controls.budgetStatuses();
    expect(status?.reservedUsd).toBe(0);
    expect(status?.spentUsd).toBeCloseTo(spent, 9);
    expect(seen().spentUsd).toBeCloseTo(spent, 9);
    expect(spent).toBeLessThanOrEqual(60 + eps);
  });

  it('room for exactly 40 calls admits exactly 40 across two processes, whatever the leases held when others asked', () => {
    const { clock, a, b, seen } = setUp(tempDir, 40);
    const random = seededRandom(11);
    // Three workers per process, each calling until it is refused.
    const workers = [a, a, a, b, b, b].map((proc) => ({ proc, call: undefined as Call | undefined, stopped: false }));
    let admitted = 0;
    while (workers.some((worker) => !worker.stopped || worker.call)) {
      const worker = workers[Math.floor(random() * workers.length)] as (typeof workers)[number];
      if (worker.call) {
        worker.call.end(1);
        worker.call = undefined;
      } else if (!worker.stopped) {
        worker.call = worker.proc.call(1);
        if (worker.call) admitted += 1;
        else worker.stopped = true;
      }
      if (random() < 0.2) worker.proc.attempts.flush();
      if (random() < 0.05) clock.now += 700;
      expect(seen().spentUsd + seen().reservedUsd).toBeLessThanOrEqual(40 + eps);
    }
    expect(admitted).toBe(40);
    expect(a.controls.budgetStatuses()[0]).toMatchObject({ spentUsd: 40, reservedUsd: 0 });
  });
});
