import { useEffect, useId, useRef } from 'react';
import type { InterviewState, TurnView } from '../../../src-shared/interview/interviewTypes.ts';
import { AnswerForm } from './AnswerForm.tsx';
import { useInterviewStore } from './interviewStore.ts';

export interface PendingQuestionProps {
  turn: TurnView;
  progress: InterviewState['progress'];
}

/** The question waiting for an answer: step, question, explanation and the answer form. */
export function PendingQuestion({ turn, progress }: PendingQuestionProps) {
  const answer = useInterviewStore((state) => state.answer);
  const projectId = useInterviewStore((state) => state.projectId);
  const questionId = useId();
  const heading = useRef<HTMLHeadingElement>(null);

  // Sending removed the focused button with the old question: take focus to the new one.
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'nearest' });
    if (document.activeElement === document.body) heading.current?.focus();
  }, [turn.id]);

  return (
    <section className="interview-question" data-testid="interview-pending" data-field={turn.field} data-turn-id={turn.id} aria-labelledby={questionId}>
      <p className="interview-step">
        <span data-testid="interview-step">
          Step {progress.step} of {progress.totalSteps}
        </span>
        <span className="interview-field"> · {turn.fieldLabel}</span>
      </p>
      <h3 ref={heading} id={questionId} className="interview-question-text" data-testid="interview-question" tabIndex={-1}>
        {turn.question}
      </h3>
      {turn.explanation === '' ? null : (
        <p className="interview-explanation" data-testid="interview-explanation">
          {turn.explanation}
        </p>
      )}
      <AnswerForm
        key={turn.id}
        turn={turn}
        labelledBy={questionId}
        submitLabel="Send"
        draftKey={projectId === null ? undefined : `project:${projectId}:answer:${turn.id}`}
        onSubmit={(value) => answer(turn.id, value)}
      />
    </section>
  );
}
