import type { RepairView } from '../../../src-shared/sandbox/sandboxTypes.ts';
import { FormError } from '../../ui/FormError.tsx';
import { useAction } from '../../ui/useAction.ts';
import { StatusBadge } from '../pipeline/StatusBadge.tsx';
import { changeOutcomeLabels, countsText, repairStatusLabels, startedText } from './testLabels.ts';
import { useTestsStore } from './testsStore.ts';

/** One repair: its state and final note, and each round: the files a fix was asked for (with what became of it) and what passed after. */
export function RepairCard({ repair }: { repair: RepairView }) {
  const cancelRepair = useTestsStore((state) => state.cancelRepair);
  const showTestRun = useTestsStore((state) => state.showTestRun);
  const cancel = useAction(() => cancelRepair(repair.id));
  const running = repair.status === 'running';
  const nextRound = (repair.rounds.at(-1)?.round ?? -1) + 1;

  return (
    <article className="repair" data-testid="repair" data-repair-id={repair.id} data-status={repair.status}>
      <div className="repair-heading">
        <StatusBadge status={`repair-${repair.status}`} label={repairStatusLabels[repair.status]} testId="repair-status" />
        <span className="muted">
          Started {startedText(repair.createdAt)}, up to {repair.maxRounds} {repair.maxRounds === 1 ? 'round' : 'rounds'}
        </span>
        {running ? (
          <button type="button" className="button button-quiet button-quiet-danger" data-testid="repair-cancel" disabled={cancel.busy} onClick={() => void cancel.start()}>
            Cancel repair
          </button>
        ) : null}
      </div>
      <FormError message={cancel.error} />
      {repair.note ? (
        <p className="repair-note" data-testid="repair-note" role="status">
          {repair.note}
        </p>
      ) : null}
      <ol className="repair-rounds">
        {repair.rounds.map((round) => (
          <li key={round.round} className="repair-round" data-testid="repair-round" data-round={round.round} data-failed={round.failed} data-passed={round.passed}>
            <div className="repair-round-line">
              <strong>{round.round === 0 ? 'Before repair' : `Round ${round.round}`}</strong>
              <span data-testid="repair-round-result">{round.round === 0 || round.testRunId !== undefined ? countsText(round) : 'Tests not run again'}</span>
              {round.testRunId !== undefined ? (
                <button
                  type="button"
                  className="button button-quiet repair-round-show"
                  data-testid="repair-round-show"
                  onClick={() => {
                    if (round.testRunId !== undefined) showTestRun(round.testRunId);
                  }}
                >
                  Show its test run
                </button>
              ) : null}
            </div>
            {round.changed.length > 0 ? (
              <ul className="repair-changes">
                {round.changed.map((change) => (
                  <li key={change.path} data-testid="repair-change" data-path={change.path} data-outcome={change.outcome}>
                    <code>{change.path}</code>
                    <StatusBadge status={`change-${change.outcome}`} label={changeOutcomeLabels[change.outcome]} />
                    {change.note ? <span className="muted repair-change-note">{change.note}</span> : null}
                    {change.why ? (
                      <span className="muted repair-change-why" data-testid="repair-change-why">
                        Why: {change.why}
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : null}
            {round.note ? <p className="muted repair-round-note">{round.note}</p> : null}
          </li>
        ))}
        {running ? (
          <li className="repair-round repair-round-pending" data-testid="repair-working">
            <span className="spinner" aria-hidden="true" />{' '}
            {nextRound === 0 ? 'Running the tests before repairing…' : `Round ${nextRound}: asking for fixes and running the tests again…`}
          </li>
        ) : null}
      </ol>
    </article>
  );
}
