import type { Budget } from '../../src-shared/domain/budget.ts';

/**
 * A budget's name in words: "the daily budget", "the monthly budget for provider "openai"", a
 * project by its name, and one whose project was deleted as such (by its id, which `budget clear
 * --project` takes), not as a project named by a string of hex; a removed provider's as removed
 * (it counts nothing until a provider with that id is added again).
 */
export function budgetLabel(scope: Budget['scope'], scopeId: string, period: Budget['period'], projectName?: string | null, providerKnown = true): string {
  const which = period === 'day' ? 'daily' : 'monthly';
  if (scope === 'overall') return `the ${which} budget`;
  if (scope === 'project' && projectName === null) return `the ${which} budget for a deleted project (id "${scopeId}")`;
  if (scope === 'provider' && !providerKnown) return `the ${which} budget for removed provider "${scopeId}"`;
  return `the ${which} budget for ${scope} "${scope === 'project' && projectName ? projectName : scopeId}"`;
}
