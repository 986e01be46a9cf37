import { useId, useRef, type KeyboardEvent } from 'react';
import type { TurnView } from '../../../src-shared/interview/interviewTypes.ts';

export interface OptionChipsProps {
  options: TurnView['options'];
  /** `single` behaves like radio buttons, `multi` like toggle buttons. */
  kind: 'single' | 'multi';
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  /** The id of the question text, which names the group. */
  labelledBy: string;
  disabled?: boolean;
}

/**
 * The options of a question as chips. Labels and hints are model or catalog text: rendered as
 * text nodes only. A chip's name is its label; its hint is its description.
 */
export function OptionChips({ options, kind, selected, onChange, labelledBy, disabled = false }: OptionChipsProps) {
  const baseId = useId();
  const group = useRef<HTMLDivElement>(null);
  const single = kind === 'single';
  const focusable = Math.max(
    0,
    options.findIndex((option) => selected.includes(option.label)),
  );

  const toggle = (label: string) => {
    if (single) onChange([label]);
    else onChange(selected.includes(label) ? selected.filter((other) => other !== label) : [...selected, label]);
  };

  // Radio groups move (and pick) with the arrow keys; one chip is in the tab order.
  const moveWithArrows = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    if (!single) return;
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (index + step + options.length) % options.length;
    const option = options[next];
    if (!option) return;
    onChange([option.label]);
    group.current?.querySelectorAll<HTMLButtonElement>('button')[next]?.focus();
  };

  return (
    <div ref={group} className="option-chips" role={single ? 'radiogroup' : 'group'} aria-labelledby={labelledBy} data-testid="option-chips">
      {options.map((option, index) => {
        const on = selected.includes(option.label);
        const labelId = `${baseId}-label-${index}`;
        const hintId = `${baseId}-hint-${index}`;
        return (
          <button
            key={option.label}
            type="button"
            className="option-chip"
            data-testid="option-chip"
            role={single ? 'radio' : undefined}
            aria-checked={single ? on : undefined}
            aria-pressed={single ? undefined : on}
            aria-labelledby={labelId}
            aria-describedby={option.hint === undefined ? undefined : hintId}
            tabIndex={single && index !== focusable ? -1 : 0}
            disabled={disabled}
            onClick={() => {
              toggle(option.label);
            }}
            onKeyDown={(event) => {
              moveWithArrows(event, index);
            }}
          >
            <span className="option-chip-mark" aria-hidden="true" />
            <span className="option-chip-text">
              <span id={labelId} className="option-chip-label">
                {option.label}
              </span>
              {option.hint === undefined ? null : (
                <span id={hintId} className="option-chip-hint">
                  {option.hint}
                </span>
              )}
            </span>
          </button>
        );
      })}
    </div>
  );
}
