// Budgets as the database holds them, a row edited by hand included: what every face reads
// (budgetStatusSchema) and what a call is checked against stay within what a budget can be.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BudgetRepository } from '../../../src-main/store/BudgetRepository.ts';
import { openDatabase } from '../../../src-main/store/openDatabase.ts';
import { budgetStatusSchema } from '../../../src-shared/domain/budget.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

const tempDir = useTempDirs();

function budgetsWithLimitEditedTo(sql: string) {
  const db = openDatabase(join(tempDir('sc-budget-repo-'), 'service-creator.db'));
  const budgets = new BudgetRepository(db);
  budgets.set({ scope: 'overall', scopeId: '', period: 'day', limitUsd: 3 });
  db.pragma('ignore_check_constraints = ON');
  db.exec(`UPDATE budgets SET limit_usd = ${sql}`);
  db.pragma('ignore_check_constraints = OFF');
  return budgets;
}

const reserve = (budgets: BudgetRepository, amountUsd: number) => budgets.reserve({ requestId: 'r', providerId: 'cloud', model: 'm', amountUsd, holdMs: 60_000 });

describe('BudgetRepository with a limit edited by hand', () => {
  it('an infinite limit (9e999) reads as the largest a budget can be: the statuses are numbers every face can show', () => {
    const budgets = budgetsWithLimitEditedTo('9e999');
    const statuses = budgets.statuses();
    expect(() => budgetStatusSchema.array().parse(statuses)).not.toThrow();
    expect(statuses[0]).toMatchObject({ limitUsd: 1_000_000, leftUsd: 1_000_000 });
    expect(budgets.list()[0]?.limitUsd).toBe(1_000_000);
    expect(reserve(budgets, 2_000_000)).toMatchObject({ ok: false });
    expect(reserve(budgets, 5)).toMatchObject({ ok: true });
  });

  it('a negative limit (past the table check) reads as $0: nothing it counts is spent, and it is never shown as a negative amount', () => {
    const budgets = budgetsWithLimitEditedTo('-3');
    expect(budgets.statuses()[0]).toMatchObject({ limitUsd: 0, leftUsd: 0 });
    expect(reserve(budgets, 0.01)).toMatchObject({ ok: false });
  });
});

describe('BudgetRepository labels', () => {
  it('names a budget whose project was deleted as such, by the id that clears it', () => {
    const db = openDatabase(join(tempDir('sc-budget-label-'), 'service-creator.db'));
    const budgets = new BudgetRepository(db);
    budgets.set({ scope: 'project', scopeId: '0193aa00-dead-7000-8000-000000000000', period: 'month', limitUsd: 3 });
    expect(budgets.statuses()[0]?.label).toBe('the monthly budget for a deleted project (id "0193aa00-dead-7000-8000-000000000000")');
  });

  it('names a budget whose provider was removed as such, and by its id again once one with that id is added', () => {
    const db = openDatabase(join(tempDir('sc-budget-label-'), 'service-creator.db'));
    const budgets = new BudgetRepository(db);
    budgets.set({ scope: 'provider', scopeId: 'gone', period: 'day', limitUsd: 3 });
    expect(budgets.statuses()[0]?.label).toBe('the daily budget for removed provider "gone"');
    db.prepare('INSERT INTO providers (id, position, config) VALUES (?, 0, ?)').run('gone', '{}');
    expect(budgets.statuses()[0]?.label).toBe('the daily budget for provider "gone"');
  });
});

describe('BudgetRepository settled costs at a period boundary', () => {
  it("a lease's call of unknown cost is counted in the day it was made, not in the day its batch was written (a call in the last 100 ms before midnight)", () => {
    const db = openDatabase(join(tempDir('sc-budget-settle-day-'), 'service-creator.db'));
    let now = Date.parse('2026-12-03T23:59:59.950Z');
    const budgets = new BudgetRepository(db, () => now);
    budgets.setTimeZone('UTC');
    budgets.set({ scope: 'overall', scopeId: '', period: 'day', limitUsd: 1 });
    const lease = reserve(budgets, 0.5);
    if (!lease.ok || lease.id === undefined) throw new Error('not reserved');
    // The call answered before midnight with no token counts; its batch is written 100 ms later, in the next day.
    now = Date.parse('2026-12-04T00:00:00.050Z');
    budgets.drawDown(lease.id, 0, 0.5);
    budgets.release(lease.id);
    expect(budgets.statuses()[0]).toMatchObject({ periodStart: '2026-12-04T00:00:00.000Z', spentUsd: 0, reservedUsd: 0 });
    // The day it was made counts it.
    now = Date.parse('2026-12-03T23:59:59.999Z');
    expect(budgets.statuses()[0]).toMatchObject({ periodStart: '2026-12-03T00:00:00.000Z', spentUsd: 0.5 });
  });
});

describe('BudgetRepository with the clock set back', () => {
  it("a reservation whose holder is gone is still given back on a call's way after the clock was set back an hour (it was looked for only once the clock passed the last look again)", () => {
    const path = join(tempDir('sc-budget-clock-back-'), 'service-creator.db');
    let now = Date.parse('2026-12-03T12:00:00.000Z');
    const alive = new Set(['this', 'other']);
    const ownerAlive = (owner: string) => alive.has(owner);
    const budgets = new BudgetRepository(openDatabase(path), () => now, { owner: 'this', ownerAlive });
    const other = new BudgetRepository(openDatabase(path), () => now, { owner: 'other', ownerAlive });
    budgets.setTimeZone('UTC');
    budgets.set({ scope: 'overall', scopeId: '', period: 'day', limitUsd: 1 });
    expect(reserve(budgets, 0.1)).toMatchObject({ ok: true });
    // The other process takes what is left, and is killed mid-call; meanwhile the clock is set back.
    expect(reserve(other, 0.9)).toMatchObject({ ok: true });
    alive.delete('other');
    now -= 3_600_000;
    now += 5_000;
    expect(reserve(budgets, 0.5)).toMatchObject({ ok: true });
  });

  it('expired reservations (a holder that cannot be told, killed mid-call) are still dropped on the way after the clock was set back an hour', () => {
    const db = openDatabase(join(tempDir('sc-budget-prune-back-'), 'service-creator.db'));
    let now = Date.parse('2026-12-03T12:00:00.000Z');
    const budgets = new BudgetRepository(db, () => now);
    budgets.setTimeZone('UTC');
    budgets.set({ scope: 'overall', scopeId: '', period: 'day', limitUsd: 10 });
    const hold = (amountUsd: number) => budgets.reserve({ requestId: 'r', providerId: 'cloud', model: 'm', amountUsd, holdMs: 1_000 });
    const done = (reservation: ReturnType<typeof hold>) => budgets.release((reservation as { id: number }).id);
    done(hold(0.1)); // prunes on the way, and notes when
    now -= 3_600_000;
    hold(0.2); // never released: its holder was killed
    now += 20_000; // it expired 19 s ago
    done(hold(0.3));
    expect(db.prepare("SELECT amount_usd FROM budget_ledger WHERE state = 'reserved'").pluck().all()).toEqual([]);
  });
});
