import { describe, expect, it } from 'vitest';
import type { BudgetStatus } from '../../../src-shared/domain/budget.ts';
import { budgetSchema } from '../../../src-shared/domain/budget.ts';
import { parseUsd } from '../../../src-shared/parseUsd.ts';
import {
  amountProblem,
  budgetKey,
  budgetReplaced,
  draftOf,
  emptyBudgetDraft,
  isBudgetDraft,
  isEmptyBudgetDraft,
  readBudgetDraft,
  savedBesideDraft,
  type BudgetDraft,
} from '../../../src-renderer/features/budgets/budgetForm.ts';
import { budgetFallback, budgetSentence, errorSentence } from '../../../src-renderer/ui/errorText.ts';

const draft = (extra: Partial<BudgetDraft>): BudgetDraft => ({ ...emptyBudgetDraft, ...extra });

function status(extra: Partial<BudgetStatus>): BudgetStatus {
  return { scope: 'overall', scopeId: '', period: 'month', limitUsd: 10, spentUsd: 0, reservedUsd: 0, leftUsd: 10, used: 0, periodStart: '2026-12-01T00:00:00.000Z', label: 'the monthly budget', ...extra };
}

describe('parseUsd reads a dollar amount as people type it', () => {
  it.each([
    ['5', 5],
    ['12.50', 12.5],
    [' $12.5 ', 12.5],
    ['$ 7', 7],
    ['.5', 0.5],
    ['0', 0],
    ['1,200', 1200],
    ['1,000,000.25', 1_000_000.25],
    ['0.0025', 0.0025],
  ])('%j is %d', (text, value) => {
    expect(parseUsd(text)).toBe(value);
  });

  it.each(['', ' ', '.', 'five', '12,5', '1,20', '-3', '5 dollars', '1e3', '12.505001', '$', '0x10', 'Infinity', '0,500', '00,250', '012,000'])('%j is not an amount', (text) => {
    expect(parseUsd(text)).toBeNull();
  });
});

describe('readBudgetDraft: a budget the core accepts, or what is missing in words', () => {
  it('all calls per month: no provider or project named, whatever was chosen before', () => {
    const read = readBudgetDraft(draft({ scope: 'overall', scopeId: 'left-over', period: 'month', amount: '12.50' }));
    expect(read).toEqual({ ok: true, budget: { scope: 'overall', scopeId: '', period: 'month', limitUsd: 12.5 } });
    if (read.ok) expect(budgetSchema.safeParse(read.budget).success).toBe(true);
  });

  it('one provider per day, and one project', () => {
    expect(readBudgetDraft(draft({ scope: 'provider', scopeId: 'openai', period: 'day', amount: '5' }))).toEqual({ ok: true, budget: { scope: 'provider', scopeId: 'openai', period: 'day', limitUsd: 5 } });
    const project = readBudgetDraft(draft({ scope: 'project', scopeId: '0b1c2d3e-0000-4000-8000-000000000001', amount: '$3' }));
    expect(project.ok && budgetSchema.safeParse(project.budget).success).toBe(true);
  });

  it('a provider or project not chosen is named before the amount', () => {
    expect(readBudgetDraft(draft({ scope: 'provider', amount: 'x' }))).toEqual({ ok: false, field: 'scope', problem: 'Choose the provider whose calls the budget counts' });
    expect(readBudgetDraft(draft({ scope: 'project', amount: '5' }))).toEqual({ ok: false, field: 'scope', problem: 'Choose the project whose calls the budget counts' });
  });

  it('an amount that is not one, and one past the most a budget can be', () => {
    expect(readBudgetDraft(draft({ amount: 'ten' }))).toEqual({ ok: false, field: 'amount', problem: amountProblem });
    expect(amountProblem).toBe('Enter an amount in dollars, like 5 or 12.50');
    expect(readBudgetDraft(draft({ amount: '' }))).toMatchObject({ ok: false, field: 'amount' });
    expect(readBudgetDraft(draft({ amount: '1000000.01' }))).toEqual({ ok: false, field: 'amount', problem: 'A budget can be at most $1,000,000' });
    expect(readBudgetDraft(draft({ amount: '1,000,000' })).ok).toBe(true);
  });
});

describe('the same scope, id and period name the same budget', () => {
  const set = [status({}), status({ scope: 'provider', scopeId: 'openai', period: 'day', label: 'the daily budget for provider "openai"' })];

  it('budgetReplaced finds the one a draft would change, or none', () => {
    expect(budgetReplaced(draft({ amount: '3' }), set)?.label).toBe('the monthly budget');
    expect(budgetReplaced(draft({ scope: 'provider', scopeId: 'openai', period: 'day' }), set)?.label).toBe('the daily budget for provider "openai"');
    expect(budgetReplaced(draft({ scope: 'provider', scopeId: 'openai', period: 'month' }), set)).toBeUndefined();
    expect(budgetReplaced(draft({ period: 'day' }), set)).toBeUndefined();
  });

  it('budgetKey ignores a left-over id on an overall draft', () => {
    expect(budgetKey({ scope: 'overall', scopeId: 'openai', period: 'day' })).toBe(budgetKey({ scope: 'overall', scopeId: '', period: 'day' }));
    expect(budgetKey({ scope: 'provider', scopeId: 'a', period: 'day' })).not.toBe(budgetKey({ scope: 'project', scopeId: 'a', period: 'day' }));
  });

  it('draftOf puts a set budget back in the form, its amount as typed', () => {
    expect(draftOf(status({ limitUsd: 12.5 }))).toEqual({ scope: 'overall', scopeId: '', period: 'month', amount: '12.50' });
    expect(draftOf(status({ limitUsd: 5 })).amount).toBe('5');
    expect(draftOf(status({ limitUsd: 0.0025 })).amount).toBe('0.0025');
    for (const limitUsd of [5, 12.5, 0.0025, 999_999.99]) {
      const read = readBudgetDraft(draftOf(status({ limitUsd })));
      expect(read.ok && read.budget.limitUsd).toBe(limitUsd);
    }
  });
});

describe('the budget draft kept in storage', () => {
  it('is checked on the way back, and the untouched form is not kept', () => {
    expect(isBudgetDraft(draft({ amount: '5' }))).toBe(true);
    expect(isBudgetDraft({ scope: 'team', scopeId: '', period: 'day', amount: '' })).toBe(false);
    expect(isBudgetDraft({ scope: 'overall', scopeId: '', period: 'week', amount: '' })).toBe(false);
    expect(isBudgetDraft({ scope: 'overall', scopeId: '', period: 'day', amount: 5 })).toBe(false);
    expect(isBudgetDraft(null)).toBe(false);
    expect(isEmptyBudgetDraft(emptyBudgetDraft)).toBe(true);
    expect(isEmptyBudgetDraft(draft({ amount: '  ' }))).toBe(true);
    expect(isEmptyBudgetDraft(draft({ amount: '1' }))).toBe(false);
    expect(isEmptyBudgetDraft(draft({ period: 'day' }))).toBe(false);
    expect(isEmptyBudgetDraft(draft({ scope: 'provider' }))).toBe(false);
  });
});

describe('a budget refusal in the GUI is words naming the budget, never the code', () => {
  const message = 'The code task was not sent: over the daily budget: $0.5000 left of $0.5000, and this call could cost up to $1.00. Raise or clear the budget in Usage, or route the task to a local model. Tried: cloud/gpt-fake';

  it("keeps the core's sentence", () => {
    expect(errorSentence({ code: 'BUDGET_EXCEEDED', message, retryable: false })).toBe(message);
  });

  it('says it in words when the sentence is missing or is the bare code', () => {
    for (const bare of ['', '  ', 'BUDGET_EXCEEDED', 'BUDGET_EXCEEDED: over']) {
      expect(budgetSentence(bare)).toBe(budgetFallback);
      expect(errorSentence({ code: 'BUDGET_EXCEEDED', message: bare, retryable: false })).not.toContain('BUDGET_EXCEEDED');
    }
  });
});

describe('savedBesideDraft: a restored draft says what is saved beside it, in words', () => {
  it('the saved limit, or that none is saved for these calls and period', () => {
    expect(savedBesideDraft(draft({ amount: '30' }), status({ limitUsd: 12.5 }))).toBe('Your $30.00 a month is not saved yet; the saved limit is $12.50 a month.');
    expect(savedBesideDraft(draft({ period: 'day', amount: '2' }), undefined)).toBe('Your $2.00 a day is not saved yet; no budget is saved for these calls and period.');
    expect(savedBesideDraft(draft({ amount: 'ten' }), status({ limitUsd: 5 }))).toBe('It is not saved yet; the saved limit is $5.00 a month.');
  });

  it('a draft may keep the limit it was typed against; one without it (older versions) or with null still reads', () => {
    expect(isBudgetDraft({ ...emptyBudgetDraft, amount: '3', savedUsd: 12.5 })).toBe(true);
    expect(isBudgetDraft({ ...emptyBudgetDraft, amount: '3', savedUsd: null })).toBe(true);
    expect(isBudgetDraft({ ...emptyBudgetDraft, amount: '3' })).toBe(true);
    expect(isBudgetDraft({ ...emptyBudgetDraft, amount: '3', savedUsd: 'twelve' })).toBe(false);
  });
});
