import type { Budget } from '../../src-shared/domain/budget.ts';

/** A budget's name in words: "the daily budget", "the monthly budget for provider "openai"", a project by its name. */
export function budgetLabel(scope: Budget['scope'], scopeId: string, period: Budget['period'], projectName?: string | null): string {
  const which = period === 'day' ? 'daily' : 'monthly';
  if (scope === 'overall') return `the ${which} budget`;
  return `the ${which} budget for ${scope} "${scope === 'project' && projectName ? projectName : scopeId}"`;
}
