import { formatDateTime } from '../projects/formatDateTime.ts';
import { formatCost, formatCount, formatMs } from './formatUsage.ts';
import { errorKindText, outcomeWords } from './attemptWords.ts';
import type { Attempt } from './usageStore.ts';
import { showHiddenMarks } from '../../../src-shared/showHiddenMarks.ts';

/** One row per call that reached a provider, newest first; the router's reason (why chosen) under the target. */
export function UsageTable({ attempts }: { attempts: readonly Attempt[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table usage-table" data-testid="usage-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Task</th>
            <th scope="col">Provider / model</th>
            <th scope="col">Outcome</th>
            <th scope="col">Error</th>
            <th scope="col" className="numeric">
              Tokens in
            </th>
            <th scope="col" className="numeric">
              Tokens out
            </th>
            <th scope="col" className="numeric">
              Latency
            </th>
            <th scope="col" className="numeric">
              First token
            </th>
            <th scope="col" className="numeric">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((attempt) => (
            <tr
              key={`${attempt.requestId}/${attempt.attemptNo}/${attempt.providerId}/${attempt.model}`}
              data-testid="usage-row"
              data-outcome={attempt.outcome}
            >
              <td className="usage-time">
                <time dateTime={attempt.startedAt}>{formatDateTime(attempt.startedAt)}</time>
              </td>
              <td>{attempt.task}</td>
              <td className="usage-target">
                <span>
                  {attempt.providerId} / <code>{showHiddenMarks(attempt.model)}</code>
                </span>
                <span className="usage-reason">{attempt.reason}</span>
                {attempt.message === undefined ? null : <span className="usage-message">{attempt.message}</span>}
              </td>
              <td>
                <span className={`outcome outcome-${attempt.outcome}`}>{outcomeWords[attempt.outcome]}</span>
              </td>
              <td className="usage-error">
                {attempt.errorKind === undefined ? '—' : errorKindText(attempt.errorKind)}
                {attempt.status === undefined ? null : <span className="usage-status"> ({attempt.status})</span>}
              </td>
              <td className="numeric">{formatCount(attempt.inputTokens)}</td>
              <td className="numeric">{formatCount(attempt.outputTokens)}</td>
              <td className="numeric">{formatMs(attempt.latencyMs)}</td>
              <td className="numeric">{formatMs(attempt.firstTokenMs)}</td>
              <td className="numeric" data-testid="usage-cost">
                {formatCost(attempt.costUsd)}
                {attempt.location === 'local' ? <span className="usage-local"> local</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
