import type { BudgetStatus } from './domain/budget.ts';
import { formatUsd } from './formatUsd.ts';
import { usedPercent } from './usedPercent.ts';

/** A budget past 80 %, in words: "the daily budget has used 85 % ($8.50 of $10.00); $1.50 left". */
export function budgetWarning(status: BudgetStatus): string {
  return `${status.label} has used ${usedPercent(status.used)} % (${formatUsd(status.spentUsd + status.reservedUsd)} of ${formatUsd(status.limitUsd)}); ${formatUsd(status.leftUsd)} left`;
}
