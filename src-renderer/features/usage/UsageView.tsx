import { useEffect } from 'react';
import type { BudgetStatus } from '../../../src-shared/domain/budget.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ViewHeader } from '../../ui/ViewHeader.tsx';
import { BudgetsSection } from '../budgets/BudgetsSection.tsx';
import { useBudgetsStore } from '../budgets/budgetsStore.ts';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { useReloadOnEvent } from '../connection/useReloadOnEvent.ts';
import { ProviderHealthPanel } from './ProviderHealthPanel.tsx';
import { useHealthStore } from './healthStore.ts';
import { SkippedList } from './SkippedList.tsx';
import { UsageCharts } from './UsageCharts.tsx';
import { UsageRangeBar } from './UsageRangeBar.tsx';
import { UsageTable } from './UsageTable.tsx';
import { UsageTotals } from './UsageTotals.tsx';
import { usageLimit, useUsageStore } from './usageStore.ts';
import { useUsageSummaryStore } from './usageSummaryStore.ts';
import { useUsageBudgets } from './useUsageBudgets.ts';
import './usage.css';

/** At most this often the dashboard's figures are asked again while calls are being made (here or by another process). */
const followCallsEveryMs = 5000;

/**
 * The Usage dashboard: a range (7 days, 30 days, this month), its totals, the budgets (gauges
 * and the form that sets them), charts of cost, tokens, the cache and latency, and the export of its summary as CSV; then
 * each recent call with where it ran and why, and apart from them, folded, the targets the
 * router skipped with why.
 */
export function UsageView() {
  const budgets = useUsageBudgets();
  return <UsageDashboard budgets={budgets} />;
}

export function UsageDashboard({ budgets = [] }: { budgets?: readonly BudgetStatus[] }) {
  const calls = useUsageStore((state) => state.calls);
  const skipped = useUsageStore((state) => state.skipped);
  const status = useUsageStore((state) => state.status);
  const attemptsError = useUsageStore((state) => state.loadError);
  const refreshing = useUsageStore((state) => state.refreshing);
  const summaries = useUsageSummaryStore((state) => state.summaries);
  const since = useUsageSummaryStore((state) => state.since);
  const summaryError = useUsageSummaryStore((state) => state.loadError);
  const summaryLoading = useUsageSummaryStore((state) => state.loading);

  const load = () => {
    void useUsageStore.getState().load();
    void useUsageSummaryStore.getState().load();
    void useBudgetsStore.getState().load();
  };
  useEffect(load, []);
  // Calls recorded meanwhile (this app, the CLI, another serve): the figures follow without Refresh, quietly, the range
  // and export choice as they are. The budgets follow on their own (budgetsStore), at once.
  useReloadOnEvent(
    'usage.changed',
    () => {
      void useUsageStore.getState().load({ quiet: true });
      void useUsageSummaryStore.getState().load({ quiet: true });
      void useHealthStore.getState().load();
    },
    followCallsEveryMs,
    ({ calls }) => calls,
  );

  const loadError = attemptsError ?? summaryError;
  const totals = summaries?.byProvider.totals;
  const nothing = status === 'ready' && calls.length === 0 && skipped.length === 0 && (totals === undefined || (totals.calls === 0 && totals.skipped === 0));

  return (
    <div className="view view-wide">
      <ViewHeader title="Usage">Model calls made for your projects: what they cost, how long they took, and where each one ran.</ViewHeader>
      <div className="usage-toolbar">
        <UsageRangeBar disabled={summaryLoading && summaries === null} />
        <button type="button" className="button" data-testid="usage-refresh" disabled={refreshing || summaryLoading} onClick={() => {
            load();
            void useHealthStore.getState().load();
          }}>
          {refreshing || summaryLoading ? <span className="spinner" aria-hidden="true" /> : null}
          Refresh
        </button>
      </div>
      {status === 'loading' || status === 'idle' || (summaries === null && summaryError === null) ? (
        <p className="muted" role="status">
          Loading usage…
        </p>
      ) : null}
      {loadError === null ? null : (
        <div className="notice notice-error" role="alert" data-testid="usage-load-error">
          <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the usage.' : loadError.message}</span>
          <button type="button" className="button" onClick={load}>
            Try again
          </button>
        </div>
      )}
      {nothing ? (
        <EmptyState title="No model calls recorded yet" testId="usage-empty">
          <p>When a model is called for one of your projects, the call will be listed here.</p>
        </EmptyState>
      ) : null}
      {totals === undefined || nothing ? null : <UsageTotals totals={totals} />}
      <BudgetsSection budgets={budgets} />
      {summaries === null || nothing ? null : <UsageCharts summaries={summaries} since={since} />}
      <ProviderHealthPanel />
      {calls.length === 0 ? null : (
        <section aria-labelledby="usage-calls-title">
          <h3 className="usage-section-title" id="usage-calls-title">
            Recent calls
          </h3>
          <UsageTable attempts={calls} />
          {calls.length >= usageLimit ? <p className="muted usage-limit-note">The table shows the {usageLimit} most recent calls; the totals and charts cover the whole range.</p> : null}
        </section>
      )}
      {status === 'ready' && calls.length === 0 && skipped.length > 0 ? (
        <p className="muted" data-testid="usage-no-calls">
          No call reached a model yet: every target was skipped (see why below).
        </p>
      ) : null}
      {skipped.length === 0 ? null : <SkippedList skipped={skipped} />}
    </div>
  );
}
