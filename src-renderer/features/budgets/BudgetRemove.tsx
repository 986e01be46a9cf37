import { useState, type KeyboardEvent } from 'react';
import type { BudgetStatus } from '../../../src-shared/domain/budget.ts';
import { FormError } from '../../ui/FormError.tsx';
import { budgetKey } from './budgetForm.ts';
import { useBudgetsStore } from './budgetsStore.ts';

/** Remove under a budget's gauge, then the question in words. Focus starts on Cancel; Escape cancels. */
export function BudgetRemove({ budget, onChange, ownerGone }: { budget: BudgetStatus; onChange: () => void; ownerGone: boolean }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = useBudgetsStore((state) => state.remove);
  const busy = useBudgetsStore((state) => state.busy[budgetKey(budget)] === true);

  const confirm = async () => {
    setError(null);
    const failure = await remove(budget);
    if (failure !== null) setError(failure.message); // on success the gauge goes with the budget
  };
  const cancelOnEscape = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    setAsking(false);
  };

  if (!asking) {
    return (
      <div className="budget-gauge-actions">
        {/* The core takes no budget for a provider or project that is gone: Change could only be refused. */}
        {ownerGone ? (
          <span className="muted" data-testid="budget-owner-gone">
            Its {budget.scope === 'provider' ? 'provider was removed' : 'project was deleted'}, so it counts no more calls.
          </span>
        ) : (
          <button type="button" className="button button-quiet" data-testid="budget-change" onClick={onChange}>
            Change
          </button>
        )}
        <button type="button" className="button button-quiet button-quiet-danger" data-testid="budget-remove" onClick={() => setAsking(true)}>
          Remove
        </button>
      </div>
    );
  }
  return (
    <div className="budget-remove" role="group" aria-label={`Remove ${budget.label}`} onKeyDown={cancelOnEscape} data-testid="budget-remove-question">
      <span>Remove {budget.label}? Calls are no longer checked against it; what was spent stays in the usage.</span>
      <span className="budget-gauge-actions">
        <button type="button" className="button button-danger" data-testid="budget-remove-confirm" disabled={busy} onClick={() => void confirm()}>
          Remove
        </button>
        <button type="button" className="button" autoFocus onClick={() => setAsking(false)}>
          Cancel
        </button>
      </span>
      <FormError message={error} />
    </div>
  );
}
