import { budgetWarning } from '../../../src-shared/budgetWarning.ts';
import { useNavigationStore } from '../navigation/navigationStore.ts';
import { budgetKey } from './budgetForm.ts';
import { useBudgetsStore } from './budgetsStore.ts';
import './budgets.css';

/**
 * The app shell's notice for each budget that passed 80 % (the core says so once per budget and
 * period): what it has used and what is left, a way to the Usage page, and Dismiss. It blocks
 * nothing: calls go on until the budget has no room for one.
 */
export function BudgetWarnings() {
  const warnings = useBudgetsStore((state) => state.warnings);
  const dismiss = useBudgetsStore((state) => state.dismissWarning);
  const show = useNavigationStore((state) => state.show);
  if (warnings.length === 0) return null;
  return (
    <div className="budget-warnings">
      {warnings.map((warning) => {
        const key = budgetKey(warning);
        const text = budgetWarning(warning);
        return (
          <div key={key} className="budget-warning-notice" role="status" data-testid="budget-warning">
            <span className="budget-warning-text">
              <strong>Budget nearly spent:</strong> <span data-testid="budget-warning-text">{text.charAt(0).toUpperCase() + text.slice(1)}.</span>
            </span>
            <span className="budget-warning-actions">
              <button type="button" className="button" data-testid="budget-warning-open" onClick={() => show('usage')}>
                Open Usage
              </button>
              <button type="button" className="button button-quiet" data-testid="budget-warning-dismiss" aria-label={`Dismiss the warning about ${warning.label}`} onClick={() => dismiss(key)}>
                Dismiss
              </button>
            </span>
          </div>
        );
      })}
    </div>
  );
}
