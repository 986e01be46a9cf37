import { useMemo } from 'react';
import { cacheHitRateByDay, costByDay, costByGroup, latencyByProvider, taskLabel, tokensByDay } from './chartData.ts';
import { UsageChart } from './UsageChart.tsx';
import { daysFrom } from './usageRange.ts';
import type { UsageSummaries } from './usageSummaryStore.ts';

/** The dashboard's charts over the chosen range: cost three ways, tokens, the cache, latency. */
export function UsageCharts({ summaries, since }: { summaries: UsageSummaries; since: string }) {
  const specs = useMemo(() => {
    // On to the last day a call is stamped with when that is after today (a clock set back since), as the totals count it.
    const last = summaries.byDay.groups.reduce((latest, group) => (group.key > latest ? group.key : latest), '');
    const [year, month, day] = last.split('-').map(Number);
    const lastDay = new Date(year ?? 1970, (month ?? 1) - 1, day ?? 1);
    const days = daysFrom(since, lastDay > new Date() ? lastDay : new Date());
    return {
      costByDay: costByDay(summaries.byDayAndProvider, days),
      costByProvider: costByGroup(summaries.byProvider),
      costByTask: costByGroup(summaries.byTask, (group) => taskLabel(group.key)),
      tokensByDay: tokensByDay(summaries.byDay, days),
      cacheHitRate: cacheHitRateByDay(summaries.byDay, days),
      latency: latencyByProvider(summaries.byProvider),
    };
  }, [summaries, since]);
  const unpriced = summaries.byProvider.totals.unpricedCalls;
  const costNote =
    unpriced > 0 ? `Leaves out ${unpriced.toLocaleString()} ${unpriced === 1 ? 'call' : 'calls'} to a cloud model without a known price.` : undefined;

  return (
    <div className="usage-charts" data-testid="usage-charts">
      <UsageChart title="Cost by day and provider" spec={specs.costByDay} testId="usage-chart-cost-day" note={costNote} />
      <UsageChart title="Cost by provider" spec={specs.costByProvider} testId="usage-chart-cost-provider" note={costNote} />
      <UsageChart title="Cost by task" spec={specs.costByTask} testId="usage-chart-cost-task" note={costNote} />
      <UsageChart title="Tokens sent and received by day" spec={specs.tokensByDay} testId="usage-chart-tokens" />
      <UsageChart title="Answers from the cache by day" spec={specs.cacheHitRate} testId="usage-chart-cache" note="The share of requests the response cache answered, sending nothing." />
      <UsageChart title="Time per call by provider" spec={specs.latency} testId="usage-chart-latency" note="Successful calls that reached a provider: the median and the slowest 5 %." />
    </div>
  );
}
