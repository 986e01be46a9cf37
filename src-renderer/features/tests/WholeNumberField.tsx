import { useId } from 'react';
import { parseWholeNumber } from './parseWholeNumber.ts';

export interface WholeNumberFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  bounds: { min: number; max: number; label: string };
  testId: string;
}

/** A small number input with its bounds and, when what is typed cannot be used, why. */
export function WholeNumberField({ label, value, onChange, bounds, testId }: WholeNumberFieldProps) {
  const id = useId();
  const problemId = useId();
  const parsed = parseWholeNumber(value, bounds);
  return (
    <div className="tests-number-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="text-input tests-number-input"
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
