import { useEffect } from 'react';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ViewHeader } from '../../ui/ViewHeader.tsx';
import { connectionErrorCodes } from '../connection/connectionErrorCodes.ts';
import { formatCost, usageTotals } from './formatUsage.ts';
import { ProviderHealthPanel } from './ProviderHealthPanel.tsx';
import { useHealthStore } from './healthStore.ts';
import { SkippedList } from './SkippedList.tsx';
import { UsageTable } from './UsageTable.tsx';
import { usageLimit, useUsageStore } from './usageStore.ts';
import './usage.css';

/**
 * Model calls made on the user's behalf: totals, then each call with where it ran and why, and
 * apart from them, folded, the targets the router skipped with why.
 */
export function UsageView() {
  const calls = useUsageStore((state) => state.calls);
  const skipped = useUsageStore((state) => state.skipped);
  const status = useUsageStore((state) => state.status);
  const loadError = useUsageStore((state) => state.loadError);
  const refreshing = useUsageStore((state) => state.refreshing);
  const load = useUsageStore((state) => state.load);

  useEffect(() => {
    void useUsageStore.getState().load();
  }, []);

  const totals = usageTotals(calls);
  const nothing = calls.length === 0 && skipped.length === 0;

  return (
    <div className="view view-wide">
      <ViewHeader title="Usage">Model calls made for your projects, and where each one ran.</ViewHeader>
      <div className="usage-toolbar">
        {status === 'ready' && !nothing ? (
          <dl className="usage-totals" data-testid="usage-totals">
            <div>
              <dt>Calls</dt>
              <dd data-testid="usage-total-calls">
                {totals.calls.toLocaleString()}
                {skipped.length > 0 ? <span className="usage-total-note"> ({skipped.length.toLocaleString()} skipped targets listed apart)</span> : null}
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
        <button
          type="button"
          className="button"
          data-testid="usage-refresh"
          disabled={refreshing}
          onClick={() => {
            void load();
            void useHealthStore.getState().load();
          }}
        >
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
      {status === 'ready' && nothing ? (
        <EmptyState title="No model calls recorded yet" testId="usage-empty">
          <p>When a model is called for one of your projects, the call will be listed here.</p>
        </EmptyState>
      ) : null}
      <ProviderHealthPanel />
      {calls.length === 0 ? null : (
        <>
          <UsageTable attempts={calls} />
          {calls.length >= usageLimit ? <p className="muted usage-limit-note">Showing the {usageLimit} most recent calls; totals cover these only.</p> : null}
        </>
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
