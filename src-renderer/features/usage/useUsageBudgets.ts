import type { BudgetStatus } from '../../../src-shared/domain/budget.ts';

const none: readonly BudgetStatus[] = [];

/**
 * The budgets the Usage page shows gauges for. None until 'budgets.list' is wired here (load it
 * with callApi and return its statuses); the page draws the gauges only for a non-empty list.
 */
export function useUsageBudgets(): readonly BudgetStatus[] {
  return none;
}
