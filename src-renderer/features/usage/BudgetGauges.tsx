import type { ReactNode } from 'react';
import type { BudgetStatus } from '../../../src-shared/domain/budget.ts';
import { formatUsd } from '../../../src-shared/formatUsd.ts';
import { usedPercent } from '../../../src-shared/usedPercent.ts';

/** At this share of a budget used the gauge warns; at 1 the budget is spent. */
export const budgetWarnAt = 0.8;

export function budgetLevel(used: number): 'ok' | 'warning' | 'over' {
  return used >= 1 ? 'over' : used >= budgetWarnAt ? 'warning' : 'ok';
}

/**
 * One gauge per budget: its name in words, spent plus reserved (calls under way) against the
 * limit, yellow from 80 % and red once reached; "No budgets set" when there are none. `actions`
 * draws each budget's buttons under its gauge.
 */
export function BudgetGauges({ budgets, actions }: { budgets: readonly BudgetStatus[]; actions?: (budget: BudgetStatus) => ReactNode }) {
  if (budgets.length === 0) {
    return (
      <p className="muted" data-testid="budget-gauges-empty">
        No budgets set.
      </p>
    );
  }
  return (
    <ul className="budget-gauges" data-testid="budget-gauges">
      {budgets.map((budget) => {
        const level = budgetLevel(budget.used);
        const percent = usedPercent(budget.used);
        const shown = Math.min(100, Math.max(0, budget.used * 100));
        return (
          <li key={`${budget.scope}/${budget.scopeId}/${budget.period}`} className={`budget-gauge budget-${level}`} data-testid="budget-gauge" data-level={level}>
            <div className="budget-gauge-head">
              <span className="budget-gauge-label">{capitalise(budget.label)}</span>
              <span className="budget-gauge-figures">
                {formatUsd(budget.spentUsd)}
                {budget.reservedUsd > 0 ? ` + ${formatUsd(budget.reservedUsd)} under way` : ''} of {formatUsd(budget.limitUsd)}
              </span>
            </div>
            <div
              className="budget-gauge-track"
              role="meter"
              aria-label={capitalise(budget.label)}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.min(percent, 100)}
              aria-valuetext={`${percent} % used${level === 'over' ? ', over the limit' : level === 'warning' ? ', nearly reached' : ''}`}
            >
              <div className="budget-gauge-bar" style={{ width: `${shown}%` }} />
            </div>
            <span className="budget-gauge-state">
              {level === 'over' ? `Reached: ${percent} % used` : level === 'warning' ? `Nearly reached: ${percent} % used` : `${percent} % used`}
            </span>
            {actions?.(budget)}
          </li>
        );
      })}
    </ul>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
