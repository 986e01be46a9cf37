import type { Budget } from '../../src-shared/domain/budget.ts';

/** When a budget's current period began, in ms: local midnight today, or the first of this month. */
export function periodStart(period: Budget['period'], now: number): number {
  const date = new Date(now);
  return period === 'day' ? new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime() : new Date(date.getFullYear(), date.getMonth(), 1).getTime();
}
