import { useEffect, useId, useState, type RefObject, type SubmitEvent } from 'react';
import type { Budget, BudgetStatus } from '../../../src-shared/domain/budget.ts';
import { formatUsd } from '../../../src-shared/formatUsd.ts';
import { DraftRestoredNote } from '../../ui/DraftRestoredNote.tsx';
import { FormError } from '../../ui/FormError.tsx';
import type { Draft } from '../../ui/useDraft.ts';
import { useProjectsStore } from '../projects/projectsStore.ts';
import { useProvidersStore } from '../providers/providersStore.ts';
import { SelectField } from '../settings/SelectField.tsx';
import { budgetKey, budgetReplaced, readBudgetDraft, savedBesideDraft, type BudgetDraft } from './budgetForm.ts';
import { useBudgetsStore } from './budgetsStore.ts';

const scopeOptions: readonly { value: Budget['scope']; label: string }[] = [
  { value: 'overall', label: 'All calls' },
  { value: 'provider', label: 'One provider' },
  { value: 'project', label: 'One project' },
];

const periodOptions: readonly { value: Budget['period']; label: string }[] = [
  { value: 'day', label: 'Per day' },
  { value: 'month', label: 'Per month' },
];

export interface BudgetFormProps {
  draft: Draft<BudgetDraft>;
  budgets: readonly BudgetStatus[];
  amountInput: RefObject<HTMLInputElement | null>;
}

/**
 * Add or change a budget: what it counts (all calls, one provider's, one project's), per day or
 * per month, and the limit in US dollars. The same three choices name the same budget, so saving
 * one that is set changes its limit (the button says so). What is typed survives a reload.
 */
export function BudgetForm({ draft, budgets, amountInput }: BudgetFormProps) {
  const value = draft.value;
  const providers = useProvidersStore((state) => state.providers);
  const providersStatus = useProvidersStore((state) => state.status);
  const projects = useProjectsStore((state) => state.projects);
  const save = useBudgetsStore((state) => state.save);
  const busy = useBudgetsStore((state) => state.busy[budgetKey(value)] === true);
  const listed = useBudgetsStore((state) => state.status === 'ready');
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const amountId = useId();
  const problemId = useId();

  // The provider list loads with the Providers page; a budget for one needs it here too.
  useEffect(() => {
    if (providersStatus === 'idle') void useProvidersStore.getState().load();
  }, [providersStatus]);

  const read = readBudgetDraft(value);
  const replaced = budgetReplaced(value, budgets);
  const elsewhere = useChangedElsewhere(value, replaced?.limitUsd ?? null, listed, draft.restored);
  const outdated = elsewhere !== null && !busy && !(read.ok && read.budget.limitUsd === replaced?.limitUsd);
  const change = (next: Partial<BudgetDraft>) => {
    const changed = { ...value, ...next };
    // The saved limit it is typed against, kept with it: after a reload, what changed meanwhile can still be said.
    const { savedUsd: _before, ...rest } = changed;
    draft.set(listed ? { ...rest, savedUsd: budgetReplaced(changed, budgets)?.limitUsd ?? null } : rest);
    setError(null);
    setSaved(null);
  };

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTried(true);
    if (!read.ok || busy) return;
    const failure = await save(read.budget);
    if (failure !== null) {
      setError(failure.message);
      return;
    }
    setTried(false);
    setSaved(`Saved: ${replaced ? 'changed to' : 'a budget of'} ${formatUsd(read.budget.limitUsd)} ${read.budget.period === 'day' ? 'a day' : 'a month'}.`);
    draft.discard();
  };

  const owners =
    value.scope === 'provider'
      ? providers.map((provider) => ({ value: provider.config.id, label: provider.config.location === 'local' ? `${provider.config.label} (on this machine: costs nothing)` : provider.config.label }))
      : projects.map((project) => ({ value: project.id, label: project.name }));
  const showProblem = !read.ok && (tried || (read.field === 'amount' && value.amount.trim() !== ''));

  return (
    <form className="budget-form" data-testid="budget-form" onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <h4 className="budget-form-title">{replaced ? 'Change a budget' : 'Add a budget'}</h4>
      <div className="budget-form-fields">
        <SelectField label="What it counts" testId="budget-scope" value={value.scope} options={scopeOptions} onChange={(scope) => change({ scope, scopeId: '' })} />
        {value.scope === 'overall' ? null : (
          <SelectField
            label={value.scope === 'provider' ? 'Provider' : 'Project'}
            testId="budget-scope-id"
            value={value.scopeId}
            options={[{ value: '', label: value.scope === 'provider' ? 'Choose a provider…' : 'Choose a project…' }, ...owners]}
            onChange={(scopeId) => change({ scopeId })}
          />
        )}
        <SelectField label="Period" testId="budget-period" value={value.period} options={periodOptions} onChange={(period) => change({ period })} />
        <div className="field budget-amount-field">
          <label className="field-label" htmlFor={amountId}>
            Limit in US dollars
          </label>
          <input
            ref={amountInput}
            id={amountId}
            className="text-input budget-amount-input"
            data-testid="budget-amount"
            inputMode="decimal"
            autoComplete="off"
            placeholder="e.g. 12.50"
            value={value.amount}
            aria-invalid={showProblem && read.field === 'amount'}
            aria-describedby={showProblem ? problemId : undefined}
            onChange={(event) => change({ amount: event.target.value })}
          />
        </div>
        <button type="submit" className="button button-primary budget-save" data-testid="budget-save" disabled={busy}>
          {replaced ? 'Change budget' : 'Add budget'}
        </button>
      </div>
      {value.scope !== 'overall' && owners.length === 0 ? (
        <p className="field-hint" data-testid="budget-no-owners">
          {value.scope === 'provider' ? 'No provider is set up yet: add one under Providers.' : 'No project yet: create one under Projects.'}
        </p>
      ) : null}
      {replaced ? (
        <p className="field-hint" data-testid="budget-replaces">
          This changes {replaced.label}, now {formatUsd(replaced.limitUsd)}.
        </p>
      ) : null}
      {showProblem ? (
        <p className="form-error" id={problemId} role="alert" data-testid="budget-form-problem">
          {read.problem}.
        </p>
      ) : null}
      {outdated ? (
        <p className="notice" role="status" data-testid="budget-outdated">
          {elsewhere.now === null
            ? 'This budget was removed elsewhere while you typed. Saving sets it again with your limit.'
            : elsewhere.before === null
              ? `A budget for these calls and period was set elsewhere while you typed: it is now ${formatUsd(elsewhere.now)}. Saving replaces it with yours.`
              : `This budget changed elsewhere while you typed: it is now ${formatUsd(elsewhere.now)}. Saving replaces it with yours.`}
        </p>
      ) : null}
      {draft.restored ? <DraftRestoredNote onDiscard={draft.discard} saved={listed ? savedBesideDraft(value, replaced) : undefined} /> : null}
      <FormError message={error} />
      {saved === null ? null : (
        <p className="field-hint" role="status" data-testid="budget-saved">
          {saved}
        </p>
      )}
    </form>
  );
}

/**
 * The stored limit of the budget the draft names, as it was when the draft last changed, and as it
 * is now, when the two differ (set, changed or removed elsewhere: the CLI, another window); else
 * null. Nothing is said for an empty amount (nothing typed to lose) or before the list is loaded.
 * A draft restored from an earlier visit starts from the limit it was typed against (`savedUsd`),
 * so a change made while no page was open is said too.
 */
function useChangedElsewhere(value: BudgetDraft, stored: number | null, listed: boolean, restored: boolean): { before: number | null; now: number | null } | null {
  const key = budgetKey(value);
  const [seen, setSeen] = useState<{ key: string; amount: string; limitUsd: number | null } | null>(() =>
    restored && value.savedUsd !== undefined ? { key, amount: value.amount, limitUsd: value.savedUsd } : null,
  );
  // Adjusted while rendering (not in an effect): the stored limit a change of the draft was made against.
  if (listed && (seen === null || seen.key !== key || seen.amount !== value.amount)) {
    setSeen({ key, amount: value.amount, limitUsd: stored });
  }
  if (!listed || seen === null || seen.key !== key || seen.amount !== value.amount || value.amount.trim() === '') return null;
  return seen.limitUsd === stored ? null : { before: seen.limitUsd, now: stored };
}
