import type { UsageGroup, UsageSummary } from '../../../src-shared/domain/usage.ts';
import type { TaskKind } from '../../../src-shared/domain/provider.ts';
import { taskLabels } from '../providers/taskLabels.ts';
import { formatCost } from './formatUsage.ts';

/** What a chart shows, independent of the library that draws it (and of its hidden table). */
export interface ChartSpec {
  kind: 'bar' | 'line';
  /** Bars along the vertical axis, one row per label (long names read better so). */
  horizontal?: boolean;
  stacked?: boolean;
  /** The categories: days, providers, tasks. */
  labels: string[];
  series: ChartSeries[];
  unit: 'usd' | 'tokens' | 'percent' | 'ms';
}

export interface ChartSeries {
  label: string;
  /** One per label; null where there is nothing to show (no call that day). */
  values: (number | null)[];
  color: string;
}

/** Colours told apart in light and dark themes alike (Tableau 10). */
export const seriesColors = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

function color(index: number): string {
  return seriesColors[index % seriesColors.length] ?? '#4e79a7';
}

/** A local day (YYYY-MM-DD) as people read it: "3 Dec". */
export function dayLabel(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year ?? 1970, (month ?? 1) - 1, date ?? 1).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

/** A task in words ("Code"), a task this page does not know as it is. */
export function taskLabel(task: string): string {
  return (taskLabels as Record<string, { label: string } | undefined>)[task as TaskKind]?.label ?? task;
}

/** The stack's name for the providers past the costliest (one colour each can be told apart). */
export const otherProviders = 'Other providers';

/**
 * Cost per day, one stacked series per provider (the known part of the cost): as many as there
 * are colours, else the costliest and the rest added together as "Other providers", so each
 * colour in the legend names one stack and every stack is named.
 */
export function costByDay(summary: UsageSummary, days: readonly string[]): ChartSpec {
  // Providers that cost something in the range (one only skipped, or free, adds nothing to a stack).
  const spent = new Map<string, number>();
  for (const group of summary.groups) if (group.knownCostUsd > 0) spent.set(group.splitKey ?? '', (spent.get(group.splitKey ?? '') ?? 0) + group.knownCostUsd);
  const costliest = [...spent.keys()].sort((a, b) => (spent.get(b) ?? 0) - (spent.get(a) ?? 0) || a.localeCompare(b));
  const folded = costliest.length > seriesColors.length;
  const providers = (folded ? costliest.slice(0, seriesColors.length - 1) : costliest).sort();
  const named = new Set(providers);
  const cost = new Map<string, number>();
  for (const group of summary.groups) {
    const provider = group.splitKey ?? '';
    const cell = `${group.key}\u0000${named.has(provider) ? provider : otherProviders}`;
    if (named.has(provider) || (folded && spent.has(provider))) cost.set(cell, (cost.get(cell) ?? 0) + group.knownCostUsd);
  }
  const stacks = folded ? [...providers, otherProviders] : providers;
  return {
    kind: 'bar',
    stacked: true,
    labels: days.map(dayLabel),
    unit: 'usd',
    series: stacks.map((provider, index) => ({
      label: provider,
      color: color(index),
      values: days.map((day) => cost.get(`${day}\u0000${provider}`) ?? null),
    })),
  };
}

/** One bar per group (provider or task) that made calls, its known cost; most first. */
export function costByGroup(summary: UsageSummary, words: (group: UsageGroup) => string = (group) => group.label): ChartSpec {
  const groups = summary.groups.filter((group) => group.calls > 0).sort((a, b) => b.knownCostUsd - a.knownCostUsd);
  return { kind: 'bar', horizontal: true, labels: groups.map(words), unit: 'usd', series: [{ label: 'Cost', color: color(0), values: groups.map((group) => group.knownCostUsd) }] };
}

function byDayLookup(summary: UsageSummary): Map<string, UsageGroup> {
  return new Map(summary.groups.map((group) => [group.key, group]));
}

/** Tokens sent and received per day. */
export function tokensByDay(summary: UsageSummary, days: readonly string[]): ChartSpec {
  const groups = byDayLookup(summary);
  return {
    kind: 'bar',
    labels: days.map(dayLabel),
    unit: 'tokens',
    series: [
      { label: 'Tokens in', color: color(0), values: days.map((day) => groups.get(day)?.inputTokens ?? null) },
      { label: 'Tokens out', color: color(1), values: days.map((day) => groups.get(day)?.outputTokens ?? null) },
    ],
  };
}

/** The share of requests answered from the response cache, per day (none on days without requests). */
export function cacheHitRateByDay(summary: UsageSummary, days: readonly string[]): ChartSpec {
  const groups = byDayLookup(summary);
  const rate = (day: string) => {
    const value = groups.get(day)?.cacheHitRate;
    return value === undefined || value === null ? null : value * 100;
  };
  return { kind: 'line', labels: days.map(dayLabel), unit: 'percent', series: [{ label: 'Cache hit rate', color: color(2), values: days.map(rate) }] };
}

/** Total time of successful calls per provider: the median and the 95th percentile. */
export function latencyByProvider(summary: UsageSummary): ChartSpec {
  const groups = summary.groups.filter((group) => group.latencyP50Ms !== null);
  return {
    kind: 'bar',
    horizontal: true,
    labels: groups.map((group) => group.label),
    unit: 'ms',
    series: [
      { label: 'Median (p50)', color: color(0), values: groups.map((group) => group.latencyP50Ms) },
      { label: '95th percentile (p95)', color: color(3), values: groups.map((group) => group.latencyP95Ms) },
    ],
  };
}

/** A value of a chart in words, for its table and tooltips. */
export function formatChartValue(value: number | null, unit: ChartSpec['unit']): string {
  if (value === null) return '—';
  switch (unit) {
    case 'usd':
      return formatCost(value);
    case 'tokens':
      return Math.round(value).toLocaleString('en-US');
    case 'percent':
      return `${value.toFixed(1)} %`;
    case 'ms':
      return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
  }
}
