import type { InterviewState } from '../../../src-shared/interview/interviewTypes.ts';
import { AskErrorNotice } from './AskErrorNotice.tsx';
import { AskingIndicator } from './AskingIndicator.tsx';
import { DoneNotice } from './DoneNotice.tsx';
import { useInterviewStore } from './interviewStore.ts';
import { PendingQuestion } from './PendingQuestion.tsx';
import { TurnItem } from './TurnItem.tsx';

/** The conversation: answered questions, then the current question or what stands in for it. */
export function InterviewChat({ interview }: { interview: InterviewState }) {
  const asking = useInterviewStore((state) => state.asking);
  const askError = useInterviewStore((state) => state.askError);
  const ask = useInterviewStore((state) => state.ask);
  const history = interview.turns.filter((turn) => turn.status !== 'pending');
  const waiting = asking || interview.busy;
  const error = askError ?? interview.lastError;

  const current = () => {
    if (interview.pending) return <PendingQuestion turn={interview.pending} progress={interview.progress} />;
    if (waiting) return <AskingIndicator />;
    if (interview.done) return <DoneNotice complete={interview.check.valid} />;
    if (error) return <AskErrorNotice code={error.code} message={error.message} />;
    return (
      <div className="notice">
        <span>The next question has not been asked yet.</span>
        <button type="button" className="button" data-testid="interview-ask" onClick={() => void ask()}>
          Ask it
        </button>
      </div>
    );
  };

  return (
    <section className="interview-chat" aria-label="Interview" data-testid="interview-chat">
      {history.length === 0 ? null : (
        <ol className="interview-history" aria-label="Answered questions">
          {history.map((turn) => (
            <TurnItem key={turn.id} turn={turn} canEdit={!waiting} />
          ))}
        </ol>
      )}
      {current()}
    </section>
  );
}
