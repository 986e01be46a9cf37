import { useId } from 'react';
import { checkWholeNumber, type WholeNumberBounds } from './checkWholeNumber.ts';

export interface WholeNumberFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  bounds: WholeNumberBounds;
  /** The input's test id; its problem's is `${testId}-error`. */
  testId: string;
  /** The wrapper's class, for the layout around it (label beside or above the input). */
  className: string;
}

/** A small number input with its bounds and, when what is typed cannot be used, why. */
export function WholeNumberField({ label, value, onChange, bounds, testId, className }: WholeNumberFieldProps) {
  const id = useId();
  const problemId = useId();
  const parsed = checkWholeNumber(value, bounds);
  return (
    <div className={className}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="text-input whole-number-input"
        data-testid={testId}
        type="number"
        inputMode="numeric"
        min={bounds.min}
        max={bounds.max}
        step={1}
        value={value}
        aria-invalid={!parsed.ok}
        aria-describedby={parsed.ok ? undefined : problemId}
        onChange={(event) => {
          onChange(event.currentTarget.value);
        }}
      />
      {parsed.ok ? null : (
        <span className="form-error" id={problemId} data-testid={`${testId}-error`}>
          {parsed.problem}
        </span>
      )}
    </div>
  );
}
