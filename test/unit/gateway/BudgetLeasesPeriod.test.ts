// A budget lease across the start of a budget's period (local midnight for a daily budget): the
// calls a process draws on a lease reserved before midnight must still count against the new
// day's budget. Two connections stand for two processes, a third reads the budget.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayControls } from '../../../src-main/gateway/GatewayControls.ts';
import { AttemptRepository } from '../../../src-main/store/AttemptRepository.ts';
import { BudgetRepository } from '../../../src-main/store/BudgetRepository.ts';
import { configGeneration } from '../../../src-main/store/cacheUntilChange.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import type { ProviderConfig } from '../../../src-shared/domain/provider.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const cloud: ProviderConfig = { id: 'cloud', type: 'openai', label: 'cloud', location: 'cloud', baseUrl: 'https://example.com/v1', models: ['m'], limits: {}, enabled: true };

function processOn(path: string, now: () => number, name: string) {
  const db = openDatabase(path);
  const attempts = new AttemptRepository(db);
  const controls = new GatewayControls({ db, attempts, responseCache: () => ({ enabled: false, ttlHours: 1, maxMegabytes: 1 }), now });
  let n = 0;
  /** Admits a $1 call; its `end` records the attempt (cost $1, started when admitted) and releases it, as the router does. */
  const call = () => {
    const requestId = `${name}-${++n}`;
    const startedAt = new Date(now()).toISOString();
    const admission = controls.forCall(controls.snapshot(configGeneration(db))).admit({ requestId, target: { providerId: 'cloud', model: 'm' }, config: cloud, projectId: undefined, amountUsd: 1, holdMs: 120_000 });
    if ('refused' in admission) return undefined;
    return () => {
      attempts.insert({ requestId, attemptNo: 1, startedAt, task: 'code', providerId: 'cloud', model: 'm', outcome: 'ok', reason: 'test', costUsd: 1 });
      admission.release(1);
    };
  };
  return { attempts, controls, call };
}

describe('BudgetLeases across the start of a period', () => {
  const tempDir = useTempDirs();

  it('calls drawn after midnight on a lease reserved before it count against the new day: never uncounted, never over its limit', () => {
    const path = join(tempDir(), 'service-creator.db');
    const today = new Date();
    const midnight = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1).getTime();
    const clock = { now: midnight - 500 };
    const now = () => clock.now;
    const a = processOn(path, now, 'a');
    const b = processOn(path, now, 'b');
    const third = new BudgetRepository(openDatabase(path), now);
    third.set({ scope: 'overall', scopeId: '', period: 'day', limitUsd: 160 });

    // Half a second before midnight: a lease of $10 (a sixteenth of $160), one call on it.
    a.call()?.();
    a.attempts.flush();
    clock.now = midnight + 100;
    // The new day: process A still draws on its lease, nine calls under way.
    const underWay = Array.from({ length: 9 }, () => a.call()).filter((end) => end !== undefined);
    const [status] = third.statuses();
    expect.soft(underWay.length === 0 || (status?.spentUsd ?? 0) + (status?.reservedUsd ?? 0) >= underWay.length, 'calls under way in the new day are counted in it').toBe(true);
    // Process B takes every dollar the new day seems to have left.
    let others = 0;
    for (let end = b.call(); end; end = b.call()) {
      end();
      others += 1;
    }
    expect(others).toBeGreaterThan(0);
    for (const end of underWay) end?.();
    a.controls.budgetStatuses();
    const [after] = b.controls.budgetStatuses();
    expect(after?.spentUsd).toBeLessThanOrEqual(160);
  });
});
