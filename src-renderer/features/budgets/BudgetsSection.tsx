import { useRef } from 'react';
import type { BudgetStatus } from '../../../src-shared/domain/budget.ts';
import { useDraft } from '../../ui/useDraft.ts';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { BudgetGauges } from '../usage/BudgetGauges.tsx';
import { BudgetForm } from './BudgetForm.tsx';
import { draftOf, emptyBudgetDraft, isBudgetDraft, isEmptyBudgetDraft } from './budgetForm.ts';
import { BudgetRemove } from './BudgetRemove.tsx';
import { useBudgetsStore } from './budgetsStore.ts';
import { useProjectsStore } from '../projects/projectsStore.ts';
import { useProvidersStore } from '../providers/providersStore.ts';
import './budgets.css';

/**
 * The Usage page's budgets: what a budget does, a gauge per budget (with Change and Remove), and
 * the form that adds or changes one.
 */
export function BudgetsSection({ budgets }: { budgets: readonly BudgetStatus[] }) {
  const status = useBudgetsStore((state) => state.status);
  const loadError = useBudgetsStore((state) => state.loadError);
  const draft = useDraft('app:budget-form', emptyBudgetDraft, isBudgetDraft, isEmptyBudgetDraft);
  const amountInput = useRef<HTMLInputElement>(null);
  const providers = useProvidersStore((state) => (state.status === 'ready' ? state.providers : null));
  const projects = useProjectsStore((state) => (state.status === 'ready' ? state.projects : null));
  // Known gone only once the list is loaded: a budget whose provider or project no longer exists.
  const ownerGone = (budget: BudgetStatus): boolean =>
    budget.scope === 'provider'
      ? providers !== null && !providers.some((provider) => provider.config.id === budget.scopeId)
      : budget.scope === 'project' && projects !== null && !projects.some((project) => project.id === budget.scopeId);

  return (
    <section className="usage-budgets" aria-labelledby="usage-budgets-title" data-testid="usage-budgets">
      <h3 className="usage-section-title" id="usage-budgets-title">
        Budgets
      </h3>
      <p className="muted budget-explanation">
        A budget limits what calls to cloud models may cost in a day or a month. Each call is checked before it is sent, counting the most it could cost: over the limit, the call goes to a
        local model when its route has one, and otherwise it is not sent. Local models cost nothing and are never counted.
      </p>
      {loadError === null ? null : (
        <div className="notice notice-error" role="alert" data-testid="budgets-load-error">
          <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the budgets.' : loadError.message}</span>
          <button type="button" className="button" onClick={() => void useBudgetsStore.getState().load()}>
            Try again
          </button>
        </div>
      )}
      {status === 'ready' || budgets.length > 0 ? (
        <BudgetGauges
          budgets={budgets}
          actions={(budget) => (
            <BudgetRemove
              budget={budget}
              ownerGone={ownerGone(budget)}
              onChange={() => {
                // With the limit it starts from: after a reload, a change made elsewhere meanwhile is still said.
                draft.set({ ...draftOf(budget), savedUsd: budget.limitUsd });
                amountInput.current?.focus();
              }}
            />
          )}
        />
      ) : null}
      <BudgetForm draft={draft} budgets={budgets} amountInput={amountInput} />
    </section>
  );
}
