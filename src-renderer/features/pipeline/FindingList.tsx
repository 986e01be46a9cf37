import type { FindingView, RunPhase } from '../../../src-shared/pipeline/pipelineTypes.ts';
import { StatusBadge } from './StatusBadge.tsx';

const findingLabels: Record<FindingView['status'], string> = { open: 'Open', fixed: 'Fixed', unfixed: 'Not fixed' };
const sourceLabels: Record<FindingView['source'], string> = { static: 'Import check', review: 'Model review' };

/** What the cross-file checks found (imports of names another file does not define, interface mismatches) and what became of it. */
export function FindingList({ findings, phase }: { findings: readonly FindingView[]; phase: RunPhase }) {
  const checked = phase === 'docs' || phase === 'done';
  return (
    <section className="run-findings" data-testid="run-findings" aria-labelledby="run-findings-title">
      <h4 className="run-section-title" id="run-findings-title">
        Cross-file checks
      </h4>
      {findings.length === 0 ? (
        <p className="muted" data-testid="run-findings-empty">
          {checked ? 'No problems between files were found.' : 'They run once every file is written.'}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Round</th>
                <th scope="col">Found by</th>
                <th scope="col">Where</th>
                <th scope="col">Problem</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((finding) => (
                <tr key={finding.id} data-testid="run-finding" data-status={finding.status}>
                  <td className="numeric">{finding.round}</td>
                  <td>{sourceLabels[finding.source]}</td>
                  <td>
                    <code>
                      {finding.path}
                      {finding.line === undefined ? '' : `:${finding.line}`}
                    </code>
                  </td>
                  <td className="run-finding-message">{finding.message}</td>
                  <td>
                    <StatusBadge status={finding.status} label={findingLabels[finding.status]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
