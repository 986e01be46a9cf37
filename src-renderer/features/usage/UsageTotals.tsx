import { formatRate, formatUsd, type UsageGroup } from '../../../src-shared/domain/usage.ts';

/** The range's totals as cards: calls (skipped targets said apart), tokens, cost, cache hit rate. */
export function UsageTotals({ totals }: { totals: UsageGroup }) {
  const unknownOnly = totals.costUsd === null && totals.knownCostUsd === 0;
  return (
    <dl className="usage-totals" data-testid="usage-totals">
      <div className="usage-total-card">
        <dt>Calls</dt>
        <dd data-testid="usage-total-calls">
          {totals.calls.toLocaleString()}
          {totals.skipped > 0 ? <span className="usage-total-note"> ({totals.skipped.toLocaleString()} skipped {totals.skipped === 1 ? 'target' : 'targets'} listed apart)</span> : null}
        </dd>
        {totals.errors + totals.cancelled > 0 ? (
          <dd className="usage-total-sub" data-testid="usage-total-failed">
            {totals.errors.toLocaleString()} failed, {totals.cancelled.toLocaleString()} cancelled
          </dd>
        ) : null}
      </div>
      <div className="usage-total-card">
        <dt>Tokens</dt>
        <dd data-testid="usage-total-tokens">
          {(totals.inputTokens + totals.outputTokens).toLocaleString()}
          <span className="usage-total-note">
            {' '}
            ({totals.inputTokens.toLocaleString()} in, {totals.outputTokens.toLocaleString()} out)
          </span>
        </dd>
      </div>
      <div className="usage-total-card">
        <dt>Cost</dt>
        <dd data-testid="usage-total-cost">
          {unknownOnly ? '—' : formatUsd(totals.knownCostUsd)}
          {totals.unpricedCalls > 0 ? (
            <span className="usage-total-note">
              {' '}
              {unknownOnly
                ? '(no known price for these calls)'
                : `+ ${totals.unpricedCalls.toLocaleString()} ${totals.unpricedCalls === 1 ? 'call' : 'calls'} without a known price`}
            </span>
          ) : null}
        </dd>
      </div>
      <div className="usage-total-card">
        <dt>Answered from the cache</dt>
        <dd data-testid="usage-total-cache">
          {formatRate(totals.cacheHitRate)}
          <span className="usage-total-note">
            {' '}
            ({totals.cacheHits.toLocaleString()} of {totals.requests.toLocaleString()} requests)
          </span>
        </dd>
      </div>
    </dl>
  );
}
