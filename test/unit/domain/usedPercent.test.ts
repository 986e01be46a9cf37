import { describe, expect, it } from 'vitest';
import type { BudgetStatus } from '../../../src-shared/domain/budget.ts';
import { budgetWarning } from '../../../src-shared/budgetWarning.ts';
import { usedPercent } from '../../../src-shared/usedPercent.ts';
import { describeBudget } from '../../../src-main/cli/commands/budgetCommand.ts';

const status = (spentUsd: number): BudgetStatus => ({
  scope: 'overall',
  scopeId: '',
  period: 'day',
  limitUsd: 10,
  spentUsd,
  reservedUsd: 0,
  leftUsd: Math.max(0, 10 - spentUsd),
  used: spentUsd / 10,
  periodStart: '2026-12-03T00:00:00.000Z',
  label: 'the daily budget',
});

describe('usedPercent', () => {
  it('rounds, but a budget not reached never reads 100 % and one reached never less', () => {
    expect([0, 0.29, 2 / 3, 0.8, 0.996, 1, 1.004, 12.5].map(usedPercent)).toEqual([0, 29, 67, 80, 99, 100, 100, 1250]);
  });

  it('is what the warning and the CLI say of a budget all but reached', () => {
    expect(budgetWarning(status(9.96))).toBe('the daily budget has used 99 % ($9.96 of $10.00); $0.0400 left');
    expect(describeBudget(status(9.96))).toContain('used (99 %)');
  });
});
