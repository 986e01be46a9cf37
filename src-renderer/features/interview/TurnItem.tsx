import { useId, useRef, useState } from 'react';
import type { TurnView } from '../../../src-shared/interview/interviewTypes.ts';
import { AnswerBubble } from './AnswerBubble.tsx';
import { AnswerForm } from './AnswerForm.tsx';
import { ClearedNote } from './ClearedNote.tsx';
import { useInterviewStore } from './interviewStore.ts';

export interface TurnItemProps {
  turn: TurnView;
  /** Edits wait while a question is being written. */
  canEdit: boolean;
}

/** One asked question of the history with its answer and outcome; answered ones can be edited. */
export function TurnItem({ turn, canEdit }: TurnItemProps) {
  const [editing, setEditing] = useState(false);
  const edit = useInterviewStore((state) => state.edit);
  const cleared = useInterviewStore((state) => (state.lastEdit?.turnId === turn.id ? state.lastEdit.cleared : null));
  const questionId = useId();
  const editButton = useRef<HTMLButtonElement>(null);
  const vague = turn.status === 'vague';

  const close = () => {
    setEditing(false);
    requestAnimationFrame(() => editButton.current?.focus());
  };

  return (
    <li className="interview-turn" data-testid="interview-turn" data-field={turn.field} data-status={turn.status} data-turn-id={turn.id}>
      <p className="turn-meta">
        <span>{turn.fieldLabel}</span>
        {vague ? (
          <span className="turn-badge" data-testid="turn-vague">
            needs more detail
          </span>
        ) : null}
      </p>
      <p className="turn-question" id={questionId} data-testid="turn-question">
        {turn.question}
      </p>
      {turn.explanation === '' ? null : <p className="turn-explanation">{turn.explanation}</p>}
      {editing ? (
        <div className="turn-edit">
          <AnswerForm
            turn={turn}
            labelledBy={questionId}
            initial={turn.answer}
            submitLabel="Save answer"
            onCancel={close}
            onSubmit={async (answer) => {
              const failure = await edit(turn.id, answer);
              if (failure === null) close();
              return failure;
            }}
          />
        </div>
      ) : (
        <>
          {turn.answer ? <AnswerBubble answer={turn.answer} /> : null}
          {turn.outcome === undefined ? null : (
            <p className={vague ? 'turn-outcome turn-outcome-vague' : 'turn-outcome'} data-testid="turn-outcome">
              {turn.outcome}
            </p>
          )}
          {turn.status === 'answered' ? (
            <button
              ref={editButton}
              type="button"
              className="button button-quiet turn-edit-button"
              data-testid="turn-edit"
              aria-label={`Edit answer: ${turn.fieldLabel}`}
              disabled={!canEdit}
              onClick={() => {
                setEditing(true);
              }}
            >
              Edit answer
            </button>
          ) : null}
          {cleared === null ? null : <ClearedNote cleared={cleared} />}
        </>
      )}
    </li>
  );
}
