import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BudgetStatus } from '../../../src-shared/domain/budget.ts';
import type { UsageGroup, UsageSummary } from '../../../src-shared/domain/usage.ts';
import { formatCost } from '../../../src-renderer/features/usage/formatUsage.ts';
import { cacheHitRateByDay, costByDay, costByGroup, formatChartValue, latencyByProvider, seriesColors, taskLabel, tokensByDay, dayLabel } from '../../../src-renderer/features/usage/chartData.ts';
import { daysFrom, rangeStart } from '../../../src-renderer/features/usage/usageRange.ts';
import { localDateText } from '../../../src-shared/domain/usage.ts';
import { usageGroup } from '../../support/usageGroup.ts';

const group = usageGroup;

function summary(groups: UsageGroup[], by: UsageSummary['by'] = 'day'): UsageSummary {
  return { since: '', until: null, by, split: null, groups, truncated: false, totals: group(''), latencyRows: 0, latencySampled: false };
}

const chartsModule = '../../../src-renderer/features/usage/UsageCharts.tsx';
const { UsageCharts } = (await import(chartsModule)) as { UsageCharts: ComponentType<{ summaries: Record<'byDayAndProvider' | 'byDay' | 'byProvider' | 'byTask', UsageSummary>; since: string }> };

describe('Usage dashboard charts', () => {
  it('ranges start 6 or 29 days before today, or on the first of the month; days run to today', () => {
    const now = new Date(2026, 11, 3, 15, 0);
    expect(rangeStart('week', now)).toBe('2026-11-27');
    expect(rangeStart('days30', now)).toBe('2026-11-04');
    expect(rangeStart('month', now)).toBe('2026-12-01');
    expect(daysFrom('2026-11-29', now)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']);
  });

  it('stacks cost per day by provider (none for a provider that cost nothing), with days without calls empty', () => {
    const spec = costByDay(summary([group('2026-12-01', { knownCostUsd: 0.5 }, 'b'), group('2026-12-01', { knownCostUsd: 0.25 }, 'a'), group('2026-12-03', { knownCostUsd: 1 }, 'b'), group('2026-12-03', { calls: 0, skipped: 2 }, 'skipped-only')]), [
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
    ]);
    expect(spec).toMatchObject({ kind: 'bar', stacked: true, unit: 'usd', labels: ['1 Dec', '2 Dec', '3 Dec'] });
    expect(spec.series.map((series) => [series.label, series.values])).toEqual([
      ['a', [0.25, null, null]],
      ['b', [0.5, null, 1]],
    ]);
  });

  it('stacks at most as many providers as it has colours: the costliest, the rest together as other providers', () => {
    const days = ['2026-12-01', '2026-12-02'];
    // 30 providers, provider-29 the costliest: a legend of 30 names in 10 colours told no bar apart.
    const groups = Array.from({ length: 30 }, (_, index) => group(days[index % 2] ?? '', { knownCostUsd: (index + 1) / 100 }, `provider-${index}`));
    const spec = costByDay(summary(groups), days);
    expect(spec.series.length).toBeLessThanOrEqual(seriesColors.length);
    expect(new Set(spec.series.map((series) => series.color)).size).toBe(spec.series.length);
    expect(spec.series.map((series) => series.label)).toContain('provider-29');
    expect(spec.series.at(-1)?.label).toBe('Other providers');
    // Nothing lost: each day's stack still adds up to that day's cost.
    for (const [index, day] of days.entries()) {
      const expected = groups.filter((entry) => entry.key === day).reduce((sum, entry) => sum + entry.knownCostUsd, 0);
      const stacked = spec.series.reduce((sum, series) => sum + (series.values[index] ?? 0), 0);
      expect(stacked).toBeCloseTo(expected, 9);
    }
  });

  it('runs the day charts on to the last day a call is stamped with, as the totals count it (a clock set back since)', () => {
    const day = (offset: number) => localDateText(new Date(new Date().getFullYear(), new Date().getMonth(), new Date().getDate() + offset));
    const later = group(day(2), { inputTokens: 700, knownCostUsd: 1 }, 'p');
    const byDay = summary([group(day(0), { inputTokens: 300 }), { ...later, splitKey: undefined, splitLabel: undefined }]);
    const summaries = { byDayAndProvider: summary([later]), byDay, byProvider: summary([], 'provider'), byTask: summary([], 'task') };
    const html = renderToStaticMarkup(createElement(UsageCharts, { summaries, since: day(-1) }));
    expect(html).toContain(`>${dayLabel(day(2))}</th><td>700</td>`);
  });

  it('orders cost bars by cost (no bar for what made no call), words tasks, and draws tokens, the cache rate and latency', () => {
    const tasks = costByGroup(summary([group('plan', { knownCostUsd: 0.1 }), group('code', { knownCostUsd: 0.3 }), group('fix', { calls: 0, skipped: 1 })], 'task'), (g) => taskLabel(g.key));
    expect([tasks.labels, tasks.series[0]?.values]).toEqual([['Code', 'Plan'], [0.3, 0.1]]);
    const day = summary([group('2026-12-02', { inputTokens: 10, outputTokens: 4, cacheHitRate: 0.25 })]);
    expect(tokensByDay(day, ['2026-12-01', '2026-12-02']).series.map((series) => series.values)).toEqual([
      [null, 10],
      [null, 4],
    ]);
    expect(cacheHitRateByDay(day, ['2026-12-01', '2026-12-02']).series[0]?.values).toEqual([null, 25]);
    const latency = latencyByProvider(summary([group('fast', { latencyP50Ms: 100, latencyP95Ms: 300 }), group('none')], 'provider'));
    expect([latency.labels, latency.series.map((series) => series.values)]).toEqual([['fast'], [[100], [300]]]);
    expect([formatChartValue(0.01234, 'usd'), formatChartValue(1500, 'ms'), formatChartValue(12.5, 'percent'), formatChartValue(null, 'tokens')]).toEqual(['$0.0123', '1.5 s', '12.5 %', '—']);
    // Large costs grouped as the totals are, a tiny one never shown as none.
    expect([formatChartValue(6_665_999_933.34, 'usd'), formatChartValue(999_999.99, 'usd'), formatChartValue(0.00001, 'usd'), formatChartValue(0, 'usd')]).toEqual([
      '$6,665,999,933.3400',
      '$999,999.9900',
      'less than $0.0001',
      '$0',
    ]);
    expect([formatCost(999_999.99), formatCost(0.00001), formatCost(0.0123), formatCost(undefined)]).toEqual(['$999,999.9900', 'less than $0.0001', '$0.0123', '—']);
  });
});

// A path in a variable: this folder is type-checked without JSX (tsconfig.node.json); the renderer's own check covers the component.
const gaugesModule = '../../../src-renderer/features/usage/BudgetGauges.tsx';
const { BudgetGauges, budgetLevel } = (await import(gaugesModule)) as {
  BudgetGauges: ComponentType<{ budgets: readonly BudgetStatus[] }>;
  budgetLevel: (used: number) => 'ok' | 'warning' | 'over';
};

describe('BudgetGauges', () => {
  const budget = (used: number, reservedUsd = 0): BudgetStatus => ({
    scope: 'provider',
    scopeId: 'openai',
    period: 'day',
    limitUsd: 10,
    spentUsd: used * 10 - reservedUsd,
    reservedUsd,
    leftUsd: 10 - used * 10,
    used,
    periodStart: '2026-12-03T00:00:00.000Z',
    label: 'the daily budget for provider openai',
  });

  it('says so when no budget is set', () => {
    expect(renderToStaticMarkup(createElement(BudgetGauges, { budgets: [] }))).toContain('No budgets set.');
  });

  it('warns from 80 % and says a budget is reached at 100 %', () => {
    expect([0.5, 0.79, 0.8, 0.99, 1, 1.4].map(budgetLevel)).toEqual(['ok', 'ok', 'warning', 'warning', 'over', 'over']);
    const html = renderToStaticMarkup(createElement(BudgetGauges, { budgets: [budget(0.5), budget(0.85, 1), budget(1.2)] }));
    expect(html.match(/data-level="(\w+)"/g)).toEqual(['data-level="ok"', 'data-level="warning"', 'data-level="over"']);
    expect(html).toContain('The daily budget for provider openai');
    expect(html).toContain('$7.50 + $1.00 under way of $10.00');
    expect(html).toContain('Nearly reached: 85 % used');
    expect(html).toContain('Reached: 120 % used');
    // The bar never runs past its track.
    expect(html).toContain('width:100%');
  });

  it('never says 100 % of a budget not reached, nor less than 100 % of one reached', () => {
    const html = renderToStaticMarkup(createElement(BudgetGauges, { budgets: [budget(0.996), budget(0.29), budget(1.004)] }));
    expect(html).toContain('Nearly reached: 99 % used');
    expect(html).not.toContain('Nearly reached: 100 %');
    expect(html).toContain('aria-valuetext="99 % used, nearly reached"');
    expect(html).toContain('>29 % used<');
    expect(html).toContain('Reached: 100 % used');
  });
});
