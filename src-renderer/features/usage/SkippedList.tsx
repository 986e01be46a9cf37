import { formatDateTime } from '../projects/formatDateTime.ts';
import type { Attempt } from './usageStore.ts';
import { showHiddenMarks } from '../../../src-shared/showHiddenMarks.ts';

/**
 * Targets the router passed over (no key, circuit open, rate limited, not allowed in Local-only
 * mode...), each with why: folded away under their count, apart from the calls, because they
 * cost nothing and used no tokens.
 */
export function SkippedList({ skipped }: { skipped: readonly Attempt[] }) {
  return (
    <details className="usage-skipped" data-testid="usage-skipped">
      <summary>
        Skipped targets ({skipped.length.toLocaleString()}) <span className="muted">: tried in order, passed over before any call was made</span>
      </summary>
      <div className="table-scroll">
        <table className="data-table usage-table" data-testid="usage-skipped-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Task</th>
              <th scope="col">Provider / model</th>
              <th scope="col">Why it was skipped</th>
            </tr>
          </thead>
          <tbody>
            {skipped.map((attempt) => (
              <tr key={`${attempt.requestId}/${attempt.attemptNo}/${attempt.providerId}/${attempt.model}`} data-testid="usage-skipped-row">
                <td className="usage-time">
                  <time dateTime={attempt.startedAt}>{formatDateTime(attempt.startedAt)}</time>
                </td>
                <td>{attempt.task}</td>
                <td className="usage-target">
                  <span>
                    {attempt.providerId} / <code>{showHiddenMarks(attempt.model)}</code>
                  </span>
                </td>
                <td className="usage-why" data-testid="usage-skipped-why">
                  {attempt.reason}
                  {attempt.message === undefined ? null : <span className="usage-message"> {attempt.message}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
