import type { BudgetStatus } from '../../../src-shared/domain/budget.ts';
import { useBudgetsStore } from '../budgets/budgetsStore.ts';

/**
 * The budgets the Usage page shows gauges for ('budgets.list'). The page loads them with its
 * other figures (on open and on Refresh); the store reloads them on a budget warning, after a
 * change, when what they have used moves (calls of any process: `usage.changed`) and when a lost
 * connection comes back.
 */
export function useUsageBudgets(): readonly BudgetStatus[] {
  return useBudgetsStore((state) => state.budgets);
}
