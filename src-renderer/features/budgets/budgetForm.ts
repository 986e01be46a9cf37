import type { Budget, BudgetStatus } from '../../../src-shared/domain/budget.ts';
import { formatUsd } from '../../../src-shared/formatUsd.ts';
import { parseUsd } from '../../../src-shared/parseUsd.ts';

/** What the budget form holds while the user types: the amount as typed, the rest as chosen. */
export interface BudgetDraft {
  scope: Budget['scope'];
  /** The provider's or project's id; '' for all calls, or while none is chosen. */
  scopeId: string;
  period: Budget['period'];
  amount: string;
  /**
   * The saved limit of the budget these choices name when the draft last changed (null: none
   * was saved); absent while the budgets were not loaded, and in drafts kept by older versions.
   * A draft restored after a reload is compared with it: changed or removed meanwhile, it says so.
   */
  savedUsd?: number | null;
}

export const emptyBudgetDraft: BudgetDraft = { scope: 'overall', scopeId: '', period: 'month', amount: '' };

export const maxBudgetUsd = 1_000_000;
export const amountProblem = 'Enter an amount in dollars, like 5 or 12.50';

export type BudgetFormResult = { ok: true; budget: Budget } | { ok: false; problem: string; field: 'scope' | 'amount' };

/** The draft as a budget the core takes, or what is missing in words. */
export function readBudgetDraft(draft: BudgetDraft): BudgetFormResult {
  const scopeId = draft.scope === 'overall' ? '' : draft.scopeId;
  if (draft.scope === 'provider' && scopeId === '') return { ok: false, problem: 'Choose the provider whose calls the budget counts', field: 'scope' };
  if (draft.scope === 'project' && scopeId === '') return { ok: false, problem: 'Choose the project whose calls the budget counts', field: 'scope' };
  const limitUsd = parseUsd(draft.amount);
  if (limitUsd === null) return { ok: false, problem: amountProblem, field: 'amount' };
  if (limitUsd > maxBudgetUsd) return { ok: false, problem: 'A budget can be at most $1,000,000', field: 'amount' };
  return { ok: true, budget: { scope: draft.scope, scopeId, period: draft.period, limitUsd } };
}

/** Budgets are one per scope, scope id and period: the same three name the same budget. */
export function budgetKey(budget: Pick<Budget, 'scope' | 'scopeId' | 'period'>): string {
  return `${budget.scope}/${budget.scope === 'overall' ? '' : budget.scopeId}/${budget.period}`;
}

/** The budget the draft would replace, if one is set for the same calls and period. */
export function budgetReplaced(draft: BudgetDraft, budgets: readonly BudgetStatus[]): BudgetStatus | undefined {
  const key = budgetKey(draft);
  return budgets.find((budget) => budgetKey(budget) === key);
}

/** A set budget back in the form, to change its limit (the amount without trailing zeros past the cents). */
export function draftOf(budget: Budget): BudgetDraft {
  const cents = Math.round(budget.limitUsd * 100) / 100;
  const amount = cents === budget.limitUsd ? (Number.isInteger(cents) ? String(cents) : cents.toFixed(2)) : String(budget.limitUsd);
  return { scope: budget.scope, scopeId: budget.scopeId, period: budget.period, amount };
}

/** What is saved beside a restored draft, in words: "Your $30.00 a month is not saved yet; the saved limit is $12.50 a month." */
export function savedBesideDraft(draft: BudgetDraft, saved: Pick<Budget, 'limitUsd'> | undefined): string {
  const per = draft.period === 'day' ? 'a day' : 'a month';
  const read = readBudgetDraft(draft);
  const yours = read.ok ? `Your ${formatUsd(read.budget.limitUsd)} ${per} is not saved yet` : 'It is not saved yet';
  return saved === undefined ? `${yours}; no budget is saved for these calls and period.` : `${yours}; the saved limit is ${formatUsd(saved.limitUsd)} ${per}.`;
}

export function isBudgetDraft(value: unknown): value is BudgetDraft {
  if (typeof value !== 'object' || value === null) return false;
  const draft = value as Record<string, unknown>;
  return (
    (draft.scope === 'overall' || draft.scope === 'provider' || draft.scope === 'project') &&
    typeof draft.scopeId === 'string' &&
    (draft.period === 'day' || draft.period === 'month') &&
    typeof draft.amount === 'string' &&
    (draft.savedUsd === undefined || draft.savedUsd === null || (typeof draft.savedUsd === 'number' && Number.isFinite(draft.savedUsd)))
  );
}

/** Nothing typed and nothing chosen past the defaults: not worth keeping as a draft. */
export function isEmptyBudgetDraft(draft: BudgetDraft): boolean {
  return draft.amount.trim() === '' && draft.scope === emptyBudgetDraft.scope && draft.scopeId === '' && draft.period === emptyBudgetDraft.period;
}
