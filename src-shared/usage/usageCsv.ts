import { toCsv, type CsvCell } from '../csv.ts';
import type { UsageGroup, UsageSummary } from '../domain/usage.ts';

const groupingWords = { provider: 'provider', task: 'task', project: 'project', model: 'model', day: 'day' } as const;

/**
 * A usage summary as CSV, one row per group and a last row of totals: the CLI's `--csv` and the
 * Usage page's export write the same file. Cost is empty when unknown, with the calls lacking a
 * price in their own column; latencies are milliseconds.
 */
export function usageSummaryCsv(summary: UsageSummary): string {
  const header: CsvCell[] = [groupingWords[summary.by], ...(summary.split ? [groupingWords[summary.split]] : [])];
  header.push('calls', 'errors', 'cancelled', 'skipped targets', 'cache hits', 'requests', 'cache hit rate', 'input tokens', 'output tokens');
  header.push('cost usd', 'known cost usd', 'calls without a price', 'latency p50 ms', 'latency p95 ms', 'first token p50 ms');
  const row = (group: UsageGroup, first: string, second: string | undefined): CsvCell[] => [
    first,
    ...(summary.split ? [second ?? ''] : []),
    group.calls,
    group.errors,
    group.cancelled,
    group.skipped,
    group.cacheHits,
    group.requests,
    group.cacheHitRate === null ? null : round(group.cacheHitRate, 4),
    group.inputTokens,
    group.outputTokens,
    group.costUsd === null ? null : round(group.costUsd, 6),
    round(group.knownCostUsd, 6),
    group.unpricedCalls,
    group.latencyP50Ms,
    group.latencyP95Ms,
    group.firstTokenP50Ms,
  ];
  return toCsv([header, ...summary.groups.map((group) => row(group, group.label, group.splitLabel)), row(summary.totals, 'total', summary.split ? '' : undefined)]);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
