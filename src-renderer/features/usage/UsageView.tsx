import { useEffect } from 'react';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ViewHeader } from '../../ui/ViewHeader.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { formatCost, usageTotals } from './formatUsage.ts';
import { UsageTable } from './UsageTable.tsx';
import { usageLimit, useUsageStore } from './usageStore.ts';
import './usage.css';

/** Model calls made on the user's behalf: totals, then each attempt with where it ran and why. */
export function UsageView() {
  const attempts = useUsageStore((state) => state.attempts);
  const status = useUsageStore((state) => state.status);
  const loadError = useUsageStore((state) => state.loadError);
  const refreshing = useUsageStore((state) => state.refreshing);
  const load = useUsageStore((state) => state.load);

  useEffect(() => {
    void useUsageStore.getState().load();
  }, []);

  const totals = usageTotals(attempts);

  return (
    <div className="view view-wide">
      <ViewHeader title="Usage">Model calls made for your projects, and where each one ran.</ViewHeader>
      <div className="usage-toolbar">
        {status === 'ready' && attempts.length > 0 ? (
          <dl className="usage-totals" data-testid="usage-totals">
            <div>
              <dt>Calls</dt>
              <dd data-testid="usage-total-calls">
                {totals.calls.toLocaleString()}
                {totals.skipped > 0 ? <span className="usage-total-note"> (+{totals.skipped.toLocaleString()} skipped)</span> : null}
              </dd>
            </div>
            <div>
              <dt>Tokens</dt>
              <dd data-testid="usage-total-tokens">
                {(totals.inputTokens + totals.outputTokens).toLocaleString()}
                <span className="usage-total-note">
                  {' '}
                  ({totals.inputTokens.toLocaleString()} in, {totals.outputTokens.toLocaleString()} out)
                </span>
              </dd>
            </div>
            <div>
              <dt>Cost</dt>
              <dd data-testid="usage-total-cost">
                {totals.pricedCalls === 0 ? '—' : formatCost(totals.costUsd)}
                {totals.unpricedCalls > 0 ? (
                  <span className="usage-total-note">
                    {' '}
                    {totals.pricedCalls === 0
                      ? '(no known price for these calls)'
                      : `+ ${totals.unpricedCalls.toLocaleString()} ${totals.unpricedCalls === 1 ? 'call' : 'calls'} without a known price`}
                  </span>
                ) : null}
              </dd>
            </div>
          </dl>
        ) : (
          <span />
        )}
        <button type="button" className="button" data-testid="usage-refresh" disabled={refreshing} onClick={() => void load()}>
          {refreshing ? <span className="spinner" aria-hidden="true" /> : null}
          Refresh
        </button>
      </div>
      {status === 'loading' || status === 'idle' ? (
        <p className="muted" role="status">
          Loading usage…
        </p>
      ) : null}
      {loadError === null ? null : (
        <div className="notice notice-error" role="alert" data-testid="usage-load-error">
          <span>{connectionErrorCodes.has(loadError.code) ? 'Could not load the usage.' : loadError.message}</span>
          <button type="button" className="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {status === 'ready' && attempts.length === 0 ? (
        <EmptyState title="No model calls recorded yet" testId="usage-empty">
          <p>When a model is called for one of your projects, the call will be listed here.</p>
        </EmptyState>
      ) : null}
      {attempts.length === 0 ? null : (
        <>
          <UsageTable attempts={attempts} />
          {attempts.length >= usageLimit ? <p className="muted usage-limit-note">Showing the {usageLimit} most recent attempts; totals cover these only.</p> : null}
        </>
      )}
    </div>
  );
}
