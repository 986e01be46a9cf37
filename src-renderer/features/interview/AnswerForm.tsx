import { useId, useState, type KeyboardEvent, type SubmitEvent } from 'react';
import type { ErrorPayload } from '../../../src-shared/envelope.ts';
import { maxAnswerLength, type TurnView } from '../../../src-shared/interview/interviewTypes.ts';
import { DraftRestoredNote } from '../../ui/DraftRestoredNote.tsx';
import { useDraft } from '../../ui/useDraft.ts';
import { OptionChips } from './OptionChips.tsx';

export interface AnswerValue {
  selected: string[];
  text: string;
}

export interface AnswerFormProps {
  turn: TurnView;
  /** The id of the question text, which names the options. */
  labelledBy: string;
  initial?: AnswerValue;
  submitLabel: string;
  /** Resolves the error to show under the form, or null when the answer was taken. */
  onSubmit: (answer: AnswerValue) => Promise<ErrorPayload | null>;
  onCancel?: () => void;
  /** Where what is typed is kept until it is sent (per project and question), if anywhere. */
  draftKey?: string;
}

const isAnswerValue = (value: unknown): value is AnswerValue =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AnswerValue).text === 'string' &&
  Array.isArray((value as AnswerValue).selected) &&
  (value as AnswerValue).selected.every((item) => typeof item === 'string');
const isEmptyAnswer = (value: AnswerValue) => value.selected.length === 0 && value.text === '';

const count = (value: number) => value.toLocaleString('en-US');

/**
 * Option chips plus free text (always available; the only input of a free-text question) with a
 * live character count. Send needs a pick or some text. A refused answer keeps what was typed.
 */
export function AnswerForm({ turn, labelledBy, initial, submitLabel, onSubmit, onCancel, draftKey }: AnswerFormProps) {
  const draft = useDraft<AnswerValue>(draftKey ?? null, initial ?? { selected: [], text: '' }, isAnswerValue, isEmptyAnswer);
  // Only options this question still offers come back from a draft.
  const selected = draft.value.selected.filter((label) => !draft.restored || turn.options.some((option) => option.label === label));
  const text = draft.value.text;
  const setSelected = (next: string[]) => {
    draft.set({ selected: next, text });
  };
  const setText = (next: string) => {
    draft.set({ selected, text: next });
  };
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const textId = useId();
  const counterId = useId();
  const errorId = useId();
  const hasOptions = turn.questionType !== 'free_text' && turn.options.length > 0;
  const empty = selected.length === 0 && text.trim() === '';
  const over = text.length > maxAnswerLength;

  const send = async () => {
    if (sending || empty) return;
    setSending(true);
    setError(null);
    const failure = await onSubmit({ selected, text });
    // On success the form goes away with the question (and its draft); only a failure needs state here.
    if (failure === null) draft.discard();
    else {
      setSending(false);
      setError(failure);
    }
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    void send();
  };

  const sendOnCtrlEnter = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form className="answer-form" data-testid="answer-form" aria-busy={sending} onSubmit={submit}>
      {hasOptions ? (
        <OptionChips
          options={turn.options}
          kind={turn.questionType === 'single' ? 'single' : 'multi'}
          selected={selected}
          onChange={(next) => {
            setSelected(next);
            setError(null);
          }}
          labelledBy={labelledBy}
          disabled={sending}
        />
      ) : null}
      <label className="field-label answer-text-label" htmlFor={textId}>
        {hasOptions ? 'Or type your own' : 'Your answer'}
      </label>
      <textarea
        id={textId}
        className="text-input text-area answer-text"
        data-testid="answer-text"
        value={text}
        rows={hasOptions ? 2 : 4}
        readOnly={sending}
        aria-invalid={error !== null || over}
        aria-describedby={error === null ? counterId : `${counterId} ${errorId}`}
        onKeyDown={sendOnCtrlEnter}
        onChange={(event) => {
          setText(event.target.value);
          setError(null);
        }}
      />
      {draft.restored ? <DraftRestoredNote onDiscard={draft.discard} /> : null}
      <div className="answer-footer">
        <span className={over ? 'answer-counter answer-counter-over' : 'answer-counter'} id={counterId} data-testid="answer-counter">
          {count(text.length)} / {count(maxAnswerLength)} characters
        </span>
        <div className="answer-buttons">
          {onCancel ? (
            <button type="button" className="button" onClick={onCancel} disabled={sending}>
              Cancel
            </button>
          ) : null}
          <button type="submit" className="button button-primary" data-testid="answer-send" disabled={empty || sending}>
            {sending ? <span className="spinner" aria-hidden="true" /> : null}
            {submitLabel}
          </button>
        </div>
      </div>
      {error === null ? null : (
        <p className="form-error" role="alert" id={errorId} data-testid="answer-error" data-code={error.code}>
          {error.message}
        </p>
      )}
    </form>
  );
}
