import type { TurnView } from '../../../src-shared/interview/interviewTypes.ts';

/** What the user answered: the picked options and the typed text, as plain text. */
export function AnswerBubble({ answer }: { answer: NonNullable<TurnView['answer']> }) {
  return (
    <div className="answer-bubble" data-testid="turn-answer">
      <span className="visually-hidden">Your answer: </span>
      {answer.selected.length > 0 ? (
        <ul className="answer-bubble-picks" aria-label="Picked">
          {answer.selected.map((label) => (
            <li key={label} className="answer-bubble-pick">
              {label}
            </li>
          ))}
        </ul>
      ) : null}
      {answer.text.trim() === '' ? null : <p className="answer-bubble-text">{answer.text}</p>}
    </div>
  );
}
