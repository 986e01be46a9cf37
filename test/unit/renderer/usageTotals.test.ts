import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { UsageGroup } from '../../../src-shared/domain/usage.ts';
import { usageGroup } from '../../support/usageGroup.ts';

const totalsModule = '../../../src-renderer/features/usage/UsageTotals.tsx';
const { UsageTotals } = (await import(totalsModule)) as { UsageTotals: ComponentType<{ totals: UsageGroup }> };

function totals(figures: Partial<UsageGroup>): UsageGroup {
  return usageGroup('', { label: 'total', ...figures });
}

describe('UsageTotals', () => {
  it('says one skipped target in the singular, more in the plural', () => {
    expect(renderToStaticMarkup(createElement(UsageTotals, { totals: totals({ skipped: 1 }) }))).toContain('(1 skipped target listed apart)');
    expect(renderToStaticMarkup(createElement(UsageTotals, { totals: totals({ skipped: 2 }) }))).toContain('(2 skipped targets listed apart)');
  });
});
